import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileChain, parseJson, stringifyJson } from './index.js';
import { deleteKey, keysOf, putKey } from './order.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '../conformance/extras/key-order.json');
interface Case { id: string; chain: unknown; input: unknown; expected: string }
/** Read afresh for every run: transforms change their input in place. */
const load = () => (parseJson(readFileSync(file, 'utf8'), { javaDoubles: true }) as { cases: Case[] }).cases;

describe('Java key order, against Jolt 0.1.8', () => {
  load().forEach((c, i) => {
    it(c.id, () => {
      const chain = compileChain(c.chain, { javaDoubles: true });
      expect(stringifyJson(chain.transform(load()[i]!.input))).toBe(c.expected);
      // The tree walker (reports) must agree with the generated code.
      expect(stringifyJson(chain.transformWithReport(load()[i]!.input).output)).toBe(c.expected);
    });
  });
});

describe('insertion order helpers', () => {
  it('keep integer-like keys where they were written, after deletes and direct writes too', () => {
    const o: Record<string, unknown> = {};
    putKey(o, 'b', 1);
    putKey(o, '3', 2);
    putKey(o, '1', 3);
    expect(keysOf(o)).toEqual(['b', '3', '1']);
    o['c'] = 4; // a direct write of a non-index key
    putKey(o, '0', 5);
    expect(keysOf(o)).toEqual(['b', '3', '1', 'c', '0']);
    deleteKey(o, '3');
    putKey(o, '3', 6);
    expect(keysOf(o)).toEqual(['b', '1', 'c', '0', '3']);
    putKey(o, 'b', 7);
    expect(keysOf(o)).toEqual(['b', '1', 'c', '0', '3']);
    // The order is hidden: JSON.stringify and Object.keys see a plain object.
    expect(Object.keys(o)).toEqual(['0', '1', '3', 'b', 'c']);
  });

  it('add nothing while JavaScript order already is the insertion order', () => {
    const o: Record<string, unknown> = {};
    for (const k of ['1', '2', '10']) putKey(o, k, k);
    expect(Object.getOwnPropertySymbols(o)).toEqual([]);
    expect(keysOf(o)).toEqual(['1', '2', '10']);
    // 4294967295 is no array index, so JavaScript keeps it in insertion order anyway.
    const big: Record<string, unknown> = { a: 1 };
    putKey(big, '4294967295', 2);
    expect(Object.getOwnPropertySymbols(big)).toEqual([]);
  });

  it('parse documents in text order and write them back the same', () => {
    const text = '{"b":{"2":1,"1":[{"9":0,"x":1}]},"10":null,"a":"z"}';
    expect(stringifyJson(parseJson(text))).toBe(text);
    expect(stringifyJson(parseJson('/* lead */ {"b":1, // c\n"3":2}'))).toBe('{"b":1,"3":2}');
  });
});

describe('JSON text as Jackson writes it', () => {
  const v = parseJson('{"a":1,"b":[1,{"x":[]},[2,3]],"c":{},"d":[],"e":{"f":null,"g":"hé"},"n":10.0,"m":1e10,"k":[{"a":1},{"b":2}]}', { javaDoubles: true });

  it('pretty prints with the default pretty printer layout', () => {
    expect(stringifyJson(v, { pretty: true })).toBe([
      '{', '  "a" : 1,', '  "b" : [ 1, {', '    "x" : [ ]', '  }, [ 2, 3 ] ],', '  "c" : { },', '  "d" : [ ],', '  "e" : {',
      '    "f" : null,', '    "g" : "hé"', '  },', '  "n" : 10.0,', '  "m" : 1.0E10,', '  "k" : [ {', '    "a" : 1', '  }, {',
      '    "b" : 2', '  } ]', '}',
    ].join('\n'));
    expect(stringifyJson([], { pretty: true })).toBe('[ ]');
    expect(stringifyJson(5, { pretty: true })).toBe('5');
  });

  it('writes Java numbers, uppercase escapes and, when asked, ASCII only', () => {
    const s = parseJson('{"v":"\\u011f\\u00fc é 😀 \\u001f\\u000b\\t\\n\\\\u00e9","n":[0.0001,12345678.5,1.5e-7,100.0,1e300,123456789012]}', { javaDoubles: true });
    expect(stringifyJson(s)).toBe('{"v":"ğü é 😀 \\u001F\\u000B\\t\\n\\\\u00e9","n":[1.0E-4,1.23456785E7,1.5E-7,100.0,1.0E300,123456789012]}');
    expect(stringifyJson(s, { asciiOnly: true })).toBe(
      '{"v":"\\u011F\\u00FC \\u00E9 \\uD83D\\uDE00 \\u001F\\u000B\\t\\n\\\\u00e9","n":[1.0E-4,1.23456785E7,1.5E-7,100.0,1.0E300,123456789012]}',
    );
  });
});
