import type { TlsSettings, TlsStore } from '@sluice/flow-api';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SecureContextOptions } from 'node:tls';

// Loaded on the first PKCS12 truststore: a server without one does not carry node-forge's ~10 MB.
const require = createRequire(import.meta.url);
let forgeModule: typeof import('node-forge') | null = null;
const forgeLib = () => (forgeModule ??= require('node-forge') as typeof import('node-forge'));

/**
 * Reads the keystore and truststore files an SSL Context Service names into Node's TLS options. PKCS12 keystores
 * go to Node as they are; PKCS12 truststores hold certificates without a key, which Node cannot load, so their
 * certificates are taken out (node-forge) as PEM. Problems name the file and what is wrong with it.
 */
export function tlsOptions(settings: TlsSettings): SecureContextOptions {
  const out: SecureContextOptions = { minVersion: settings.minVersion ?? 'TLSv1.2' };
  const key = settings.keyStore;
  if (key) {
    const bytes = read(key, 'Keystore');
    const passphrase = settings.keyPassword ?? key.password;
    if (key.type === 'PKCS12') Object.assign(out, { pfx: bytes, passphrase });
    else Object.assign(out, { key: bytes.toString('utf8'), cert: bytes.toString('utf8'), passphrase });
  }
  const trust = settings.trustStore;
  if (trust) {
    const bytes = read(trust, 'Truststore');
    out.ca = trust.type === 'PEM' ? bytes.toString('utf8') : pkcs12Certificates(bytes, trust);
    if (out.ca.length === 0) throw new Error(`Truststore '${trust.path}' holds no certificate`);
  }
  return out;
}

function read(store: TlsStore, what: string): Buffer {
  try {
    return readFileSync(store.path);
  } catch (e) {
    throw new Error(`${what} '${store.path}' cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function pkcs12Certificates(bytes: Buffer, store: TlsStore): string[] {
  try {
    const forge = forgeLib();
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes.toString('binary')), store.password ?? '');
    const bags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
    return bags.flatMap((b) => (b.cert ? [forge.pki.certificateToPem(b.cert)] : []));
  } catch (e) {
    throw new Error(`Truststore '${store.path}' is not a PKCS12 file this password opens: ${(e as Error).message}`);
  }
}

/** Node's message for a bad keystore password or format, with the file named. */
export function tlsError(e: unknown, settings: TlsSettings): Error {
  const message = (e as Error).message;
  if (/mac verify failure|bad decrypt|PFX|private key|PEM|no start line/i.test(message)) {
    return new Error(`Keystore '${settings.keyStore?.path}' cannot be used (${message}): check Keystore Type and the passwords`);
  }
  return e as Error;
}
