import { SqlQueryError } from '@sluice/flow-api';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlJsQueryEngine } from './sqljs-query.engine.js';

const engine = new SqlJsQueryEngine();
afterAll(() => engine.close());
const table = { name: 'FLOWFILE', columns: ['a'], rows: [[1], [2], [3]] };
const fails = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as SqlQueryError);

describe('SqlJsQueryEngine', () => {
  it('answers each query over the table, with its columns', async () => {
    expect(await engine.query({ table, queries: ['SELECT a * 2 AS b FROM FLOWFILE WHERE a > 1', 'SELECT count(*) AS n FROM FLOWFILE'], timeoutMs: 5000, maxRows: 10 }))
      .toEqual([{ columns: ['b'], rows: [[4], [6]] }, { columns: ['n'], rows: [[3]] }]);
  });

  it('stops a query past its deadline, says so, and answers the next request on a new worker', async () => {
    const started = Date.now();
    const e = await fails(engine.query({ table, queries: ['SELECT 1', 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c'], timeoutMs: 300, maxRows: 10 }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(e).toMatchObject({ code: 'limit', message: 'the query ran longer than 300 ms and was stopped' });
    expect((await engine.query({ table, queries: ['SELECT max(a) AS m FROM FLOWFILE'], timeoutMs: 5000, maxRows: 10 }))[0]!.rows).toEqual([[3]]);
  });

  it('refuses results over the row limit and statements that are not queries, naming which query', async () => {
    expect(await fails(engine.query({ table, queries: ['SELECT 1', 'SELECT a FROM FLOWFILE'], timeoutMs: 5000, maxRows: 2 }))).toMatchObject({ code: 'limit', index: 1 });
    expect(await fails(engine.query({ table, queries: ['UPDATE FLOWFILE SET a = 0'], timeoutMs: 5000, maxRows: 2 }))).toMatchObject({ code: 'query', message: expect.stringMatching(/only a query/) });
  });

  it("caps SQLite's memory: a query that needs more fails instead of growing the server", async () => {
    const e = await fails(engine.query({ table, queries: ['SELECT length(group_concat(randomblob(1000000))) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 400) SELECT x FROM c)'], timeoutMs: 20_000, maxRows: 2 }));
    expect(e).toBeInstanceOf(SqlQueryError);
    expect(e!.message).toMatch(/out of memory|too big/i);
  });

  it('check: syntax errors and unknown tables are problems; columns are left to run time', async () => {
    expect(await engine.check('SELECT anything FROM FLOWFILE')).toBeNull();
    expect(await engine.check('SELECT FROM WHERE')).toMatch(/syntax error/);
    expect(await engine.check('SELECT * FROM other')).toMatch(/no such table/);
  });
});
