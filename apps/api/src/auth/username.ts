import { BadInputError } from '../common/errors.js';

const MAX_LENGTH = 100;
/** Control, format (zero-width, bidi overrides), private-use and unassigned characters: invisible or spoofable. */
const INVISIBLE = /\p{C}/u;

/** A username as it is stored: NFC, trimmed, visible characters only; throws a 400 naming the rule. */
export function checkUsername(raw: string): string {
  const name = raw.normalize('NFC').trim();
  const fail = (message: string) => new BadInputError(`invalid username: ${message}`, [{ field: 'username', message }]);
  if (name === '') throw fail('it must not be blank');
  if (name.length > MAX_LENGTH) throw fail(`it must have at most ${MAX_LENGTH} characters`);
  if (INVISIBLE.test(name)) throw fail('it must not contain control or invisible characters');
  return name;
}

/** What usernames are compared by: `Bob` and `bob` are the same user. */
export function usernameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}
