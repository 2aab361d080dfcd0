import { TestRunner } from '@sluice/flow-testing';
import { getControllerService, getProcessor } from '@sluice/processors';
import { SQLJS_ENGINE } from './sqljs-query.engine.js';

/** QueryRecord on the server's SQL engine, reading CSV (or JSON) and writing JSON. */
export function queryRunner(queries: Record<string, string>, config: Record<string, string> = {}, reader: 'CSVReader' | 'JsonTreeReader' = 'CSVReader') {
  const r = new TestRunner(getProcessor('QueryRecord')!, { services: { sql: SQLJS_ENGINE } })
    .addControllerService('in', getControllerService(reader)!)
    .addControllerService('out', getControllerService('JsonRecordSetWriter')!)
    .setProperties({ 'Record Reader': 'in', 'Record Writer': 'out', ...config, ...queries });
  r.assertValid();
  return r;
}

export const resultOf = (r: TestRunner, rel: string) => r.flowFilesFor(rel).map((f) => f.contentJson<Record<string, unknown>[]>());
