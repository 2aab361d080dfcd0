import type { FlowDocument, ProcessorValidationDto } from '@sluice/contracts';
import { substituteParameters } from '@sluice/flow-api';
import { getProcessor } from '@sluice/processors';
import { SQLJS_ENGINE } from './sqljs-query.engine.js';

const CACHE_ENTRIES = 500;
const verdicts = new Map<string, string | null>();

async function verdict(sql: string): Promise<string | null> {
  if (verdicts.has(sql)) return verdicts.get(sql)!;
  const problem = await SQLJS_ENGINE.check(sql);
  if (verdicts.size >= CACHE_ENTRIES) verdicts.delete(verdicts.keys().next().value!);
  verdicts.set(sql, problem);
  return problem;
}

/**
 * QueryRecord's queries checked by the engine that runs them, off the request's event loop: a query SQLite cannot
 * parse is a problem of the property that holds it. Queries with Expression Language are checked when they run.
 */
export async function queryIssues(doc: FlowDocument): Promise<ProcessorValidationDto[]> {
  const out: ProcessorValidationDto[] = [];
  for (const p of doc.processors) {
    if (p.type !== 'QueryRecord') continue;
    const declared = new Set(getProcessor(p.type)!.descriptor.properties.map((d) => d.name));
    for (const [name, raw] of Object.entries(p.properties)) {
      if (declared.has(name) || raw === undefined) continue;
      const sql = substituteParameters(raw, doc.parameters ?? {}).text;
      if (sql.includes('${')) continue;
      const problem = sql.trim() ? await verdict(sql) : 'a query is required';
      if (problem) out.push({ processorId: p.id, property: name, message: `${name}: ${problem}`, code: 'invalid' });
    }
  }
  return out;
}
