import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Prefix of a sealed value; anything without it is plaintext (values stored before encryption existed). */
const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * AES-256-GCM for secrets at rest (sensitive parameters and properties, cached credentials and tokens). The key is
 * derived with HKDF from `SLUICE_SECRET_KEY` or from a random key generated into the data directory (mode 0600), so a
 * copied database alone discloses nothing.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(keyMaterial: Uint8Array) {
    if (keyMaterial.byteLength < 32) throw new SecretBoxError('secret key material must have at least 32 bytes');
    this.key = Buffer.from(hkdfSync('sha256', keyMaterial, 'sluice', 'sluice secret box v1', 32));
  }

  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** `enc:v1:` + base64url(iv ‖ tag ‖ ciphertext); a fresh IV every time, so equal secrets seal differently. */
  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The plaintext of a sealed value; a value that is not sealed is returned as it is. */
  open(value: string): string {
    if (!SecretBox.isSealed(value)) return value;
    const raw = Buffer.from(value.slice(PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('a sealed value cannot be opened with this key (was SLUICE_SECRET_KEY changed?)');
    }
  }
}
