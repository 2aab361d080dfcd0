import { ReplacementError } from '@sluice/expression';

/** Java's Matcher.quoteReplacement: the text taken literally. */
export const quoteJavaReplacement = (text: string): string => text.replace(/[\\$]/g, (c) => `\\${c}`);

/**
 * ReplaceText's treatment of a back reference to a group that does not exist: it becomes literal text (`$8` with
 * three groups stays `$8`; `$123` with 12 groups is group 12 then `3`). Kept as NiFi does it, including its quirks:
 * a reference at the very start is not examined, and after the first escape the later insert positions are taken
 * from the unescaped text, so they land one character early per earlier escape.
 */
export function escapeLiteralBackReferences(unescaped: string, groupCount: number): string {
  if (groupCount === 0) return unescaped;
  let value = unescaped;
  const re = /[^\\]\$(\d+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(unescaped)) !== null) {
    const digits = m[1]!;
    if (digits.startsWith('0')) continue;
    let index = Number(digits);
    while (index > groupCount && index >= 10) index = Math.floor(index / 10);
    if (index > groupCount) {
      const groupStart = m.index + 2;
      value = `${value.slice(0, groupStart - 1)}\\${value.slice(groupStart - 1)}`;
    }
  }
  return value;
}

/** ReplaceText: a `$` followed by anything but a digit makes the whole replacement literal (Matcher.quoteReplacement). */
export const normalizeReplacement = (replacement: string): string => (/\$\D/.test(replacement) ? quoteJavaReplacement(replacement) : replacement);

/** What ReplaceText does to each expression result inside a Replacement Value: `$n` in attribute values is escaped. */
export const escapeBackReferenceValue = (value: string): string => value.replace(/(\$\d)/g, '\\$1');

/**
 * Apache Commons Text's StringSubstitutor.replace with FlowFile attributes: `${name}` becomes the attribute when it
 * exists (its value substituted in turn), `${name:-default}` the default otherwise, `$${name}` the literal `${name}`;
 * unknown names and `${}` stay as written.
 */
export function substituteVariables(text: string, values: Readonly<Record<string, string>>): string {
  return substitute(text, values, []);
}

function substitute(text: string, values: Readonly<Record<string, string>>, seen: string[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('${', i);
    if (at < 0) break;
    if (at > 0 && text[at - 1] === '$') {
      out += text.slice(i, at - 1) + '${';
      i = at + 2;
      continue;
    }
    const end = text.indexOf('}', at + 2);
    if (end < 0) break;
    const body = text.slice(at + 2, end);
    const sep = body.indexOf(':-');
    const name = sep < 0 ? body : body.slice(0, sep);
    let value: string | undefined = name === '' ? undefined : values[name];
    if (value === undefined && sep >= 0) value = body.slice(sep + 2);
    if (value === undefined) {
      out += text.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (seen.includes(name)) throw new ReplacementError(`Infinite loop in property interpolation of ${[...seen, name].join('->')}`);
    out += text.slice(i, at) + substitute(value, values, [...seen, name]);
    i = end + 1;
  }
  return out + text.slice(i);
}
