/**
 * Java charsets the text processors read and write. TextDecoder alone is not enough: WHATWG maps the labels
 * `ascii` and `iso-8859-1` to windows-1252, and TextEncoder only writes UTF-8, so single-byte sets and UTF-16 are
 * coded here with Java's results (unmappable characters become `?` when writing, U+FFFD when reading).
 */
export type CharsetName = 'UTF-8' | 'US-ASCII' | 'ISO-8859-1' | 'windows-1252' | 'UTF-16' | 'UTF-16BE' | 'UTF-16LE';

const ALIASES: Record<string, CharsetName> = {
  'utf-8': 'UTF-8', utf8: 'UTF-8',
  'us-ascii': 'US-ASCII', ascii: 'US-ASCII', 'iso646-us': 'US-ASCII',
  'iso-8859-1': 'ISO-8859-1', iso8859_1: 'ISO-8859-1', 'iso_8859_1': 'ISO-8859-1', latin1: 'ISO-8859-1', 'iso-latin-1': 'ISO-8859-1',
  'windows-1252': 'windows-1252', cp1252: 'windows-1252',
  'utf-16': 'UTF-16', utf16: 'UTF-16',
  'utf-16be': 'UTF-16BE', unicodebigunmarked: 'UTF-16BE',
  'utf-16le': 'UTF-16LE', unicodelittleunmarked: 'UTF-16LE',
};

export const SUPPORTED_CHARSETS = 'UTF-8, US-ASCII, ISO-8859-1, windows-1252, UTF-16, UTF-16BE, UTF-16LE';

/** The charset for a NiFi `Character Set` value, or null when Sluice cannot code it. */
export function charsetOf(name: string): CharsetName | null {
  return ALIASES[name.trim().toLowerCase()] ?? null;
}

/** Validation message for a `Character Set` value, or null when it is supported. */
export function checkCharset(name: string): string | null {
  return charsetOf(name) ? null : `'${name}' is not a supported character set (supported: ${SUPPORTED_CHARSETS})`;
}

const utf8Decoder = new TextDecoder('utf-8');
const cp1252Decoder = new TextDecoder('windows-1252');
const utf8Encoder = new TextEncoder();
let cp1252Reverse: Map<number, number> | null = null;

export function decodeText(bytes: Uint8Array, charset: CharsetName): string {
  switch (charset) {
    case 'UTF-8':
      return utf8Decoder.decode(bytes);
    case 'windows-1252':
      return cp1252Decoder.decode(bytes);
    case 'US-ASCII':
    case 'ISO-8859-1': {
      const max = charset === 'US-ASCII' ? 0x7f : 0xff;
      let out = '';
      for (let i = 0; i < bytes.length; i += 8192) {
        const chunk = Array.from(bytes.subarray(i, i + 8192), (b) => (b > max ? 0xfffd : b));
        out += String.fromCharCode(...chunk);
      }
      return out;
    }
    case 'UTF-16':
      // Java's UTF-16 reads a byte-order mark and defaults to big-endian without one.
      if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
      if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16be(bytes.subarray(2));
      return decodeUtf16be(bytes);
    case 'UTF-16BE':
      return decodeUtf16be(bytes);
    case 'UTF-16LE':
      return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes);
  }
}

function decodeUtf16be(bytes: Uint8Array): string {
  const swapped = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(swapped) + (bytes.length % 2 ? '\ufffd' : '');
}

export function encodeText(text: string, charset: CharsetName): Uint8Array {
  switch (charset) {
    case 'UTF-8':
      return utf8Encoder.encode(text);
    case 'US-ASCII':
    case 'ISO-8859-1':
    case 'windows-1252': {
      const out = new Uint8Array(text.length);
      let n = 0;
      for (const ch of text) {
        const c = ch.codePointAt(0)!;
        if (charset === 'windows-1252') out[n++] = c < 0x80 || (c >= 0xa0 && c <= 0xff) ? c : (cp1252Code(c) ?? 0x3f);
        else out[n++] = c <= (charset === 'US-ASCII' ? 0x7f : 0xff) ? c : 0x3f;
      }
      return out.subarray(0, n);
    }
    case 'UTF-16':
    case 'UTF-16BE':
    case 'UTF-16LE': {
      const bom = charset === 'UTF-16' ? 2 : 0;
      const out = new Uint8Array(bom + text.length * 2);
      if (bom) {
        out[0] = 0xfe;
        out[1] = 0xff;
      }
      const little = charset === 'UTF-16LE';
      for (let i = 0; i < text.length; i++) {
        const u = text.charCodeAt(i);
        out[bom + 2 * i] = little ? u & 0xff : u >> 8;
        out[bom + 2 * i + 1] = little ? u >> 8 : u & 0xff;
      }
      return out;
    }
  }
}

function cp1252Code(codePoint: number): number | undefined {
  if (!cp1252Reverse) {
    cp1252Reverse = new Map();
    for (let b = 0x80; b < 0xa0; b++) {
      const ch = cp1252Decoder.decode(new Uint8Array([b]));
      cp1252Reverse.set(ch.codePointAt(0)!, b);
    }
  }
  return cp1252Reverse.get(codePoint);
}

/** Bytes the text takes in the charset, without encoding it for UTF-8 and the fixed-width sets. */
export function encodedLength(text: string, charset: CharsetName): number {
  switch (charset) {
    case 'UTF-8': {
      let n = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x80) n += 1;
        else if (c < 0x800) n += 2;
        else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
          n += 4;
          i++;
        } else n += 3;
      }
      return n;
    }
    case 'UTF-16':
    case 'UTF-16BE':
    case 'UTF-16LE':
      return text.length * 2;
    default:
      return text.length;
  }
}
