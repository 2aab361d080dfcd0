import { isCredentialAttribute as isCredential } from '../persistence/sensitive-attributes.js';
import type { AttributeCipher } from '../persistence/sql-flowfile.repository.js';
import { SecretBox } from './secret-box.js';
import type { SecretRegistry } from './secret-registry.js';

/** Queued FlowFiles between the Login step and the writers carry tokens: they are stored sealed. */
export function credentialAttributeCipher(box: SecretBox, secrets: SecretRegistry): AttributeCipher {
  return {
    seal(attributes) {
      let out: Record<string, string> | null = null;
      for (const k in attributes) {
        const v = attributes[k]!;
        if (v && isCredential(k) && !SecretBox.isSealed(v)) (out ??= { ...attributes })[k] = box.seal(v);
      }
      return out ?? attributes;
    },
    open(attributes) {
      for (const k in attributes) {
        const v = attributes[k]!;
        if (isCredential(k) && SecretBox.isSealed(v)) {
          try {
            attributes[k] = box.open(v);
            secrets.add(attributes[k]);
          } catch {
            // Sealed with another key: useless, so dropped; the step then logs in again instead of failing on it.
            delete attributes[k];
          }
        }
      }
      return attributes;
    },
  };
}
