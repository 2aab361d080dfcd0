import { describe, expect, it } from 'vitest';
import { compileChain, parseJson, stringifyJson } from './index.js';

const seedShift = {
  operation: 'shift',
  spec: { '*': { sku: '[&1].product_sku', stock: '[&1].stock', stock_list: '[&1].stock_list', unit_type: '[&1].unit_type' } },
};
const batch = { operation: 'default', spec: { '*': { batch_id: 'b-1' } } };
const toInt = { operation: 'modify-overwrite-beta', spec: { '*': { stock: '=toInteger' } } };

/** The fused run, the step-by-step run and the tree walker must write the same text (key order included). */
function agree(chain: unknown[], input: string, javaDoubles = false): string {
  const c = compileChain(chain, { javaDoubles });
  const read = () => parseJson(input, { javaDoubles: true });
  const fused = stringifyJson(c.transform(read()));
  expect(stringifyJson(c.transformRange(read(), 0, chain.length))).toBe(fused);
  expect(stringifyJson(c.transformWithReport(read()).output)).toBe(fused);
  return fused;
}

describe('fused shift + default + modify', () => {
  it('writes whole rows already defaulted and modified, in Java key order', () => {
    expect(agree([seedShift, batch, toInt], '[{"sku":"A","stock":"7","stock_list":"1","unit_type":"qty"},{"sku":"B","stock":"x","stock_list":"1","unit_type":"qty"}]')).toBe(
      '[{"product_sku":"A","stock":7,"stock_list":"1","unit_type":"qty","batch_id":"b-1"},{"product_sku":"B","stock":"x","stock_list":"1","unit_type":"qty","batch_id":"b-1"}]',
    );
  });

  it('finishes the rows it could not build whole (missing keys, nulls, scalars, padding) step by step', () => {
    const out = agree([seedShift, batch, toInt], '[{"sku":"A","stock":"1"},"sku",null,[1],{"sku":null,"stock":null,"stock_list":null,"unit_type":null},{"sku":"Z","stock":"2","stock_list":"1","unit_type":"u"}]');
    expect(out).toBe(
      '[{"product_sku":"A","stock":1,"batch_id":"b-1"},{"product_sku":null,"batch_id":"b-1"},{"batch_id":"b-1"},{"batch_id":"b-1"},' +
        '{"product_sku":null,"stock":null,"stock_list":null,"unit_type":null,"batch_id":"b-1"},{"product_sku":"Z","stock":2,"stock_list":"1","unit_type":"u","batch_id":"b-1"}]',
    );
  });

  it('takes the step-by-step path for objects, empty lists and colliding indexes', () => {
    expect(agree([seedShift, batch, toInt], '{"1":{"sku":"A","stock":"1","stock_list":"1","unit_type":"u"},"01":{"sku":"B","stock":"2","stock_list":"1","unit_type":"u"}}')).toBe(
      '[{"batch_id":"b-1"},{"product_sku":["A","B"],"stock":[1,2],"stock_list":["1","1"],"unit_type":["u","u"],"batch_id":"b-1"}]',
    );
    expect(agree([seedShift, batch, toInt], '[]')).toBe('{}');
    expect(agree([seedShift, batch, toInt], '{}')).toBe('{}');
  });

  it('keeps each mode, optional keys, fallbacks and keys the steps add', () => {
    const chain = [
      seedShift,
      { operation: 'default', spec: { '*': { stock: 0, a: 'x', z: true } } },
      { operation: 'modify-default-beta', spec: { '*': { unit_type: 'def', added: ['=toInteger', 5], 'gone?': 'never' } } },
      { operation: 'modify-define-beta', spec: { '*': { a: 'no', b: 'yes', z: '=toString' } } },
      { operation: 'modify-overwrite-beta', spec: { '*': { sku2: '=toUpper', stock_list: ['=toInteger', -1], a: '=toUpper' } } },
    ];
    expect(agree(chain, '[{"sku":"a","stock":null,"stock_list":"12","unit_type":null},{"sku":"b","stock":"3","stock_list":"q","unit_type":"kg"}]')).toBe(
      '[{"product_sku":"a","stock":0,"stock_list":12,"unit_type":"def","a":"X","z":true,"added":5,"b":"yes"},' +
        '{"product_sku":"b","stock":"3","stock_list":-1,"unit_type":"kg","a":"X","z":true,"added":5,"b":"yes"}]',
    );
  });

  it('keeps Java doubles from modify functions', () => {
    const chain = [seedShift, { operation: 'modify-overwrite-beta', spec: { '*': { stock: '=toDouble' } } }];
    expect(agree(chain, '[{"sku":"A","stock":"4","stock_list":"1","unit_type":"u"}]', true)).toBe('[{"product_sku":"A","stock":4.0,"stock_list":"1","unit_type":"u"}]');
  });

  it('leaves chains whose steps read beyond the row to the step-by-step run', () => {
    const chain = [seedShift, { operation: 'modify-overwrite-beta', spec: { '*': { n: '=size(@(2,[0]))', k: '&1' } } }];
    expect(agree(chain, '[{"sku":"A","stock":"1","stock_list":"1","unit_type":"u"},{"sku":"B","stock":"2","stock_list":"1","unit_type":"u"}]')).toBe(
      // The second row sees the first one already modified: the step reads the whole list, so it runs on its own.
      '[{"product_sku":"A","stock":"1","stock_list":"1","unit_type":"u","n":4,"k":"&1"},{"product_sku":"B","stock":"2","stock_list":"1","unit_type":"u","n":6,"k":"&1"}]',
    );
  });
});

describe('shift rows written as one object', () => {
  it('agrees with the tree walker when keys are missing, rows collide or the prefix is shared', () => {
    const byKey = [{ operation: 'shift', spec: { '*': { a: '&1.x', b: '&1.y' } } }];
    expect(agree(byKey, '{"r1":{"a":1,"b":2},"r2":{"a":3},"3":{"a":4,"b":5}}')).toBe('{"r1":{"x":1,"y":2},"r2":{"x":3},"3":{"x":4,"y":5}}');
    const shared = [{ operation: 'shift', spec: { '*': { a: 'out.x', b: 'out.y' } } }];
    expect(agree(shared, '[{"a":1,"b":2},{"a":3,"b":4}]')).toBe('{"out":{"x":[1,3],"y":[2,4]}}');
    const own = [{ operation: 'shift', spec: { r: { a: '&0.x', b: '&0.y' } } }];
    expect(agree(own, '{"r":{"a":1,"b":2}}')).toBe('{"a":{"x":1},"b":{"y":2}}');
  });
});
