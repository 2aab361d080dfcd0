import {
  ConnectionConfigSchema,
  ControllerServiceConfigSchema,
  FLOW_LIMITS,
  FlowDocumentSchema,
  PortConfigSchema,
  ProcessGroupConfigSchema,
  ProcessorConfigSchema,
  type FlowDocument,
} from '@sluice/contracts';
import { z } from 'zod';
import { inSlices } from '../common/slices.js';
import { inputError, requireInput } from '../common/zod.js';

const ELEMENTS = {
  processors: ProcessorConfigSchema,
  connections: ConnectionConfigSchema,
  controllerServices: ControllerServiceConfigSchema,
  processGroups: ProcessGroupConfigSchema,
  ports: PortConfigSchema,
} as const;
type ListField = keyof typeof ELEMENTS;
const LISTS = Object.keys(ELEMENTS) as ListField[];

/** The document's own fields, its lists taken as they come: their elements are checked one at a time. */
const Shallow = FlowDocumentSchema.extend({
  processors: z.array(z.unknown()).max(FLOW_LIMITS.processors).default([]),
  connections: z.array(z.unknown()).max(FLOW_LIMITS.connections).default([]),
  controllerServices: z.array(z.unknown()).max(FLOW_LIMITS.controllerServices).default([]),
  processGroups: z.array(z.unknown()).max(FLOW_LIMITS.processGroups).default([]),
  ports: z.array(z.unknown()).max(FLOW_LIMITS.ports).default([]),
});
const FIELD_ORDER = new Map(Object.keys(FlowDocumentSchema.shape).map((k, i) => [k, i]));

/**
 * FlowDocumentSchema's parse, with the same result and the same 400, run on the event loop in slices: one parse of
 * a document at FLOW_LIMITS held the loop for 50–100 ms.
 */
export function parseFlowDocumentInSlices(input: unknown): Promise<FlowDocument> {
  requireInput(input, 'flow document');
  return inSlices(documentSteps(input));
}

function* documentSteps(input: unknown): Generator<void, FlowDocument> {
  const top = Shallow.safeParse(input);
  const issues: z.core.$ZodIssue[] = top.success ? [] : [...top.error.issues];
  yield;
  const lists: Partial<Record<ListField, unknown[]>> = {};
  for (const field of LISTS) {
    const items = (input as Record<string, unknown>)[field];
    // Anything but an array is the shallow parse's to report (or to default).
    if (!Array.isArray(items)) continue;
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      const r = ELEMENTS[field].safeParse(items[i]);
      if (r.success) out.push(r.data);
      else for (const issue of r.error.issues) issues.push({ ...issue, path: [field, i, ...issue.path] });
      yield;
    }
    lists[field] = out;
  }
  if (issues.length > 0 || !top.success) {
    // zod reports a document's issues field by field in the schema's order; the sort is stable within a field.
    const rank = (i: z.core.$ZodIssue) => FIELD_ORDER.get(String(i.path[0])) ?? -1;
    throw inputError(issues.sort((a, b) => rank(a) - rank(b)), 'flow document');
  }
  return { ...top.data, ...lists } as FlowDocument;
}
