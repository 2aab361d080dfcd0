/**
 * Java character sets for processors' `Character Set` properties. The six every Java runtime has (UTF-8, UTF-16,
 * UTF-16BE, UTF-16LE, ISO-8859-1, US-ASCII) encode and decode exactly as Java does (unmappable characters become
 * `?`, malformed input U+FFFD, `UTF-16` writes a big-endian BOM and reads one); any other name the platform's
 * TextDecoder knows (windows-1254, ISO-8859-9, ...) can be decoded but not encoded.
 */

type Standard = 'UTF-8' | 'UTF-16' | 'UTF-16BE' | 'UTF-16LE' | 'ISO-8859-1' | 'US-ASCII';

// Java's canonical names and the aliases Charset.forName accepts for them.
const ALIASES: Record<string, Standard> = {
  'utf-8': 'UTF-8', utf8: 'UTF-8', unicode11utf8: 'UTF-8',
  'utf-16': 'UTF-16', utf_16: 'UTF-16', utf16: 'UTF-16', unicode: 'UTF-16',
  'utf-16be': 'UTF-16BE', utf_16be: 'UTF-16BE', 'iso-10646-ucs-2': 'UTF-16BE', unicodebigunmarked: 'UTF-16BE',
  'utf-16le': 'UTF-16LE', utf_16le: 'UTF-16LE', unicodelittleunmarked: 'UTF-16LE', x_utf_16le: 'UTF-16LE',
  'iso-8859-1': 'ISO-8859-1', iso8859_1: 'ISO-8859-1', 'iso_8859-1': 'ISO-8859-1', 'iso8859-1': 'ISO-8859-1', latin1: 'ISO-8859-1',
  l1: 'ISO-8859-1', ibm819: 'ISO-8859-1', cp819: 'ISO-8859-1', csisolatin1: 'ISO-8859-1', '819': 'ISO-8859-1',
  'us-ascii': 'US-ASCII', ascii: 'US-ASCII', ascii7: 'US-ASCII', 'iso646-us': 'US-ASCII', default: 'US-ASCII', '646': 'US-ASCII', cp367: 'US-ASCII',
};

const standard = (name: string): Standard | undefined => ALIASES[name.trim().toLowerCase()];

function platformDecoder(name: string): TextDecoder | null {
  try {
    return new TextDecoder(name.trim());
  } catch {
    return null;
  }
}

/** Null when `name` is a character set Sluice can decode (and, with `forWriting`, encode); else why not. */
export function checkCharset(name: string, forWriting = false): string | null {
  if (standard(name)) return null;
  if (name.trim() === '' || !platformDecoder(name)) return `'${name}' is not a known character set (UTF-8, ISO-8859-1, US-ASCII, UTF-16, ...)`;
  return forWriting ? `'${name}' can be read but not written; write UTF-8, UTF-16, UTF-16BE, UTF-16LE, ISO-8859-1 or US-ASCII` : null;
}

function utf16(text: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  let o = 0;
  const put = (unit: number) => {
    out[o++] = bigEndian ? unit >> 8 : unit & 0xff;
    out[o++] = bigEndian ? unit & 0xff : unit >> 8;
  };
  if (bom) put(0xfeff);
  for (let i = 0; i < text.length; i++) {
    let unit = text.charCodeAt(i);
    // A lone surrogate is malformed input, which Java's encoder replaces with '?'.
    const high = unit >= 0xd800 && unit <= 0xdbff;
    const low = unit >= 0xdc00 && unit <= 0xdfff;
    if (high) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        put(unit);
        put(next);
        i++;
        continue;
      }
      unit = 0x3f;
    } else if (low) unit = 0x3f;
    put(unit);
  }
  return out.subarray(0, o);
}

function singleByte(text: string, max: number): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out.push(cp <= max ? cp : 0x3f);
  }
  return Uint8Array.from(out);
}

/** Java's `String.getBytes(charset)`. Throws for a name `checkCharset(name, true)` refuses. */
export function encodeText(text: string, charset: string): Uint8Array {
  const cs = standard(charset);
  switch (cs) {
    case 'UTF-8':
      return new TextEncoder().encode(text);
    case 'UTF-16':
      return utf16(text, true, true);
    case 'UTF-16BE':
      return utf16(text, true, false);
    case 'UTF-16LE':
      return utf16(text, false, false);
    case 'ISO-8859-1':
      return singleByte(text, 0xff);
    case 'US-ASCII':
      return singleByte(text, 0x7f);
    default:
      throw new Error(checkCharset(charset, true) ?? `cannot write '${charset}'`);
  }
}

/** Java's `new String(bytes, charset)`. Throws for a name `checkCharset(name)` refuses. */
export function decodeText(bytes: Uint8Array, charset: string): string {
  const cs = standard(charset);
  switch (cs) {
    case 'UTF-8':
      return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    case 'UTF-16': {
      // Java reads a BOM when there is one and big-endian otherwise.
      if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes.subarray(2));
      return new TextDecoder('utf-16be', { ignoreBOM: true }).decode(bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2) : bytes);
    }
    case 'UTF-16BE':
      return new TextDecoder('utf-16be', { ignoreBOM: true }).decode(bytes);
    case 'UTF-16LE':
      return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes);
    case 'ISO-8859-1': {
      let s = '';
      for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
      return s;
    }
    case 'US-ASCII': {
      let s = '';
      for (const b of bytes) s += b < 0x80 ? String.fromCharCode(b) : '\ufffd';
      return s;
    }
    default: {
      const decoder = platformDecoder(charset);
      if (!decoder) throw new Error(checkCharset(charset) ?? `cannot read '${charset}'`);
      return decoder.decode(bytes);
    }
  }
}
