import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('seals and opens, with a fresh IV each time', () => {
    const a = box.seal('omnitron-password');
    const b = box.seal('omnitron-password');
    expect(a).not.toBe(b);
    expect(a.startsWith('enc:v1:')).toBe(true);
    expect(a).not.toContain('omnitron-password');
    expect(box.open(a)).toBe('omnitron-password');
    expect(box.open(b)).toBe('omnitron-password');
  });

  it('passes plaintext through open, so values stored before encryption still read', () => {
    expect(SecretBox.isSealed('plain')).toBe(false);
    expect(box.open('plain')).toBe('plain');
  });

  it('refuses a value sealed with another key or tampered with', () => {
    const sealed = box.seal('x');
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow(/cannot be opened with this key/);
    const bytes = Buffer.from(sealed.slice('enc:v1:'.length), 'base64url');
    bytes[bytes.length - 1] ^= 1;
    expect(() => box.open(`enc:v1:${bytes.toString('base64url')}`)).toThrow(/cannot be opened/);
    expect(() => box.open('enc:v1:AAAA')).toThrow(/truncated/);
  });

  it('needs at least 32 bytes of key material', () => {
    expect(() => new SecretBox(new Uint8Array(16))).toThrow(/at least 32 bytes/);
  });
});
