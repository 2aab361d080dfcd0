import type { FieldError, FlowDocument, ProcessorValidationDto } from '@sluice/contracts';
import { checkExpression } from '@sluice/expression';
import { parseDuration, relationshipsFor, validateProcessor } from '@sluice/flow-api';
import { CronExpressionParser } from 'cron-parser';
import { IANAZone } from 'luxon';
import { getProcessor } from '@sluice/processors';

export interface FlowValidation {
  /** Wrong input: the document is refused and nothing is saved. */
  blocking: FieldError[];
  /** Everything that keeps the flow from starting, wrong input included (missing values, loose relationships). */
  issues: ProcessorValidationDto[];
}

export function validateFlow(doc: FlowDocument): FlowValidation {
  const blocking: FieldError[] = [];
  const issues: ProcessorValidationDto[] = [];
  // Structural faults both refuse the save and show as issues of the processor they concern.
  const fault = (e: FieldError) => {
    blocking.push(e);
    issues.push({ processorId: e.processorId ?? '', property: null, message: e.message });
  };
  const seen = new Set<string>();
  const relsOf = new Map<string, Set<string>>();
  doc.processors.forEach((p, i) => {
    if (seen.has(p.id)) fault({ field: `processors.${i}.id`, message: `duplicate processor id '${p.id}'`, processorId: p.id });
    seen.add(p.id);
    const def = getProcessor(p.type);
    if (!def) {
      fault({ field: `processors.${i}.type`, message: `unknown processor type '${p.type}'`, processorId: p.id });
      return;
    }
    relsOf.set(p.id, new Set(relationshipsFor(def.descriptor, p.properties).map((r) => r.name)));
    for (const r of validateProcessor(def, p.properties, { checkExpression, parameters: doc.parameters ?? {} })) {
      const issue = { processorId: p.id, property: r.property, message: r.message, line: r.line, column: r.column };
      issues.push(issue);
      if (r.code !== 'required') blocking.push({ field: `processors.${i}.properties.${r.property ?? ''}`, message: `${p.name}: ${r.message}`, processorId: p.id, line: r.line, column: r.column });
    }
    for (const t of p.autoTerminated) {
      if (!relsOf.get(p.id)!.has(t)) fault({ field: `processors.${i}.autoTerminated`, message: `${p.name}: '${t}' is not a relationship of ${p.type}`, processorId: p.id });
    }
  });
  const connIds = new Set<string>();
  const used = new Map<string, Set<string>>();
  doc.connections.forEach((c, i) => {
    if (connIds.has(c.id)) fault({ field: `connections.${i}.id`, message: `duplicate connection id '${c.id}'` });
    connIds.add(c.id);
    if (!seen.has(c.sourceId)) fault({ field: `connections.${i}.sourceId`, message: `connection '${c.id}' starts at missing processor '${c.sourceId}'` });
    if (!seen.has(c.targetId)) fault({ field: `connections.${i}.targetId`, message: `connection '${c.id}' ends at missing processor '${c.targetId}'` });
    const rels = relsOf.get(c.sourceId);
    for (const r of c.relationships) {
      if (rels && !rels.has(r)) fault({ field: `connections.${i}.relationships`, message: `connection '${c.id}': '${r}' is not a relationship of processor '${c.sourceId}'` });
      let u = used.get(c.sourceId);
      if (!u) used.set(c.sourceId, (u = new Set()));
      u.add(r);
    }
  });
  for (const p of doc.processors) {
    const rels = relsOf.get(p.id);
    if (!rels) continue;
    for (const r of rels) {
      if (!used.get(p.id)?.has(r) && !p.autoTerminated.includes(r)) {
        issues.push({ processorId: p.id, property: null, message: `relationship '${r}' is neither connected nor auto-terminated` });
      }
    }
  }
  if (doc.integration) validateIntegration(doc, seen, fault);
  return { blocking, issues };
}

/** The Configuration card: a schedule that cannot run or a time zone that does not exist is refused on save. */
function validateIntegration(doc: FlowDocument, processorIds: Set<string>, fault: (e: FieldError) => void): void {
  const s = doc.integration!;
  if (s.schedule.type === 'every') {
    const ms = parseDuration(s.schedule.value);
    if (ms === null || ms < 1000) fault({ field: 'integration.schedule.value', message: `'${s.schedule.value}' is not a duration of at least 1 second (e.g. '5 mins', '1 day')` });
  } else if (s.schedule.type === 'cron') {
    try {
      CronExpressionParser.parse(s.schedule.value, { tz: s.timeZone });
    } catch (e) {
      fault({ field: 'integration.schedule.value', message: `'${s.schedule.value}' is not a cron expression: ${(e as Error).message}` });
    }
  }
  if (!IANAZone.isValidZone(s.timeZone)) fault({ field: 'integration.timeZone', message: `unknown time zone '${s.timeZone}' (use an IANA name such as 'Europe/Istanbul')` });
  if (s.entryProcessorId && !processorIds.has(s.entryProcessorId)) fault({ field: 'integration.entryProcessorId', message: `entry processor '${s.entryProcessorId}' is not in the flow` });
  if (s.fetchMissing.enabled) {
    if (s.direction === 'outbound') fault({ field: 'integration.fetchMissing.enabled', message: 'fetch missing is not available on outbound flows: they have no endpoint to query by SKU' });
    const ms = parseDuration(s.fetchMissing.interval);
    if (ms === null || ms < 60_000) {
      fault({ field: 'integration.fetchMissing.interval', message: `'${s.fetchMissing.interval}' is not a duration of at least 1 minute` });
    }
  }
}
