import { describe, expect, it } from 'vitest';
import { checkCharset, decodeText, encodeText } from './charset.js';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

describe('Java character sets', () => {
  it("encodes as String.getBytes does: '?' for what the set cannot hold, a big-endian BOM for UTF-16", () => {
    expect(hex(encodeText('aé€', 'UTF-8'))).toBe('61 c3 a9 e2 82 ac');
    expect(hex(encodeText('aé€', 'ISO-8859-1'))).toBe('61 e9 3f');
    expect(hex(encodeText('aé', 'US-ASCII'))).toBe('61 3f');
    expect(hex(encodeText('a', 'UTF-16'))).toBe('fe ff 00 61');
    expect(hex(encodeText('a😀', 'utf-16le'))).toBe('61 00 3d d8 00 de');
    expect(hex(encodeText('a', 'UTF-16BE'))).toBe('00 61');
  });

  it('decodes the standard sets exactly and others through the platform', () => {
    expect(decodeText(Uint8Array.of(0x61, 0xe9), 'ISO-8859-1')).toBe('aé');
    expect(decodeText(Uint8Array.of(0x61, 0xe9), 'US-ASCII')).toBe('a\ufffd');
    expect(decodeText(Uint8Array.of(0xff, 0xfe, 0x61, 0x00), 'UTF-16')).toBe('a');
    expect(decodeText(Uint8Array.of(0x00, 0x61), 'UTF-16')).toBe('a');
    expect(decodeText(Uint8Array.of(0xfd), 'windows-1254')).toBe('ı');
  });

  it('names sets it cannot read, and sets it can read but not write', () => {
    expect(checkCharset('UTF8')).toBeNull();
    expect(checkCharset('Klingon-8')).toContain("'Klingon-8' is not a known character set");
    expect(checkCharset('windows-1254')).toBeNull();
    expect(checkCharset('windows-1254', true)).toContain('can be read but not written');
    expect(() => encodeText('x', 'windows-1254')).toThrow(/not written/);
  });
});
