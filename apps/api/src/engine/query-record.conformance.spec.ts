/** QueryRecord against cases of NiFi's TestQueryRecord, restated, on the server's SQL engine (SQLite, not Calcite). */
import { afterAll, describe, expect, it } from 'vitest';
import { queryRunner, resultOf } from './query-record.testing.js';
import { SQLJS_ENGINE } from './sqljs-query.engine.js';

afterAll(() => SQLJS_ENGINE.close());
const REL = 'adults';

describe('QueryRecord (NiFi TestQueryRecord cases)', () => {
  it("testSimple: select name, age from FLOWFILE WHERE name <> ''", async () => {
    const r = queryRunner({ [REL]: "select name, age from FLOWFILE WHERE name <> ''" });
    r.enqueue('name,age\nTom,49\n');
    await r.run();
    r.assertTransferCount(REL, 1);
    r.flowFilesFor(REL)[0]!.assertAttributeEquals('QueryRecord.Route', REL);
    expect(resultOf(r, REL)).toEqual([[{ name: 'Tom', age: 49 }]]);
  });

  it('testNoRecordsInput: a header without rows still sends an empty result (Include Zero Record FlowFiles true)', async () => {
    const r = queryRunner({ [REL]: 'select name from FLOWFILE WHERE age > 23' }, { 'Include Zero Record FlowFiles': 'true' });
    r.enqueue('name,age\n');
    await r.run();
    r.assertTransferCount(REL, 1);
    expect(resultOf(r, REL)).toEqual([[]]);
  });

  it('testTransformCalc: computed columns', async () => {
    const r = queryRunner({ [REL]: 'select ID, AMOUNT1+AMOUNT2+AMOUNT3 as TOTAL from FLOWFILE where ID=100' });
    r.enqueue('ID,AMOUNT1,AMOUNT2,AMOUNT3\n8,10.05,15.45,89.99\n100,20.25,25.25,45.25\n105,20.05,25.05,45.05\n');
    await r.run();
    expect(resultOf(r, REL)).toEqual([[{ ID: 100, TOTAL: 90.75 }]]);
  });

  it('testAggregateFunction: sum grouped by name', async () => {
    const r = queryRunner({ [REL]: 'select name, sum(points) as points from FLOWFILE GROUP BY name ORDER BY name' });
    r.enqueue('name,points\nTom,1\nJerry,2\nTom,99\n');
    await r.run();
    expect(resultOf(r, REL)).toEqual([[{ name: 'Jerry', points: 2 }, { name: 'Tom', points: 100 }]]);
  });

  it('testSelectOrderRespected: columns come out in the order selected', async () => {
    const r = queryRunner({ [REL]: 'SELECT ArticleCode, ArticleName, ProductCode, ProductName, Country FROM FLOWFILE' });
    r.enqueue('ArticleCode,ProductCode,ArticleName,ProductName,Country\n12345,10101,Credit Card,Porduct Credit,RO\n');
    await r.run();
    expect(Object.keys(resultOf(r, REL)[0]![0]!)).toEqual(['ArticleCode', 'ArticleName', 'ProductCode', 'ProductName', 'Country']);
  });

  it('testParseFailure: a query over a column that is not there routes the original to failure', async () => {
    const r = queryRunner({ [REL]: 'select name, age from FLOWFILE WHERE nosuch > 3' });
    r.enqueue('name,age\nTom,49\n');
    await r.run();
    r.assertAllTransferred('failure', 1);
  });
});
