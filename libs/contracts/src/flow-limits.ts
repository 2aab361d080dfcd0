/**
 * The largest flow a document may describe. Saving validates, seals and builds every component, so the cost of a
 * save grows with these counts; a bound keeps one save from holding the server for seconds.
 */
export const FLOW_LIMITS = {
  processors: 5000,
  connections: 10_000,
  controllerServices: 1000,
  processGroups: 1000,
  ports: 2000,
} as const;

export type FlowLimit = keyof typeof FLOW_LIMITS;

export interface FlowLimitError {
  field: FlowLimit;
  message: string;
}

/**
 * The limits a document goes over, counted on its raw shape so an oversized document is refused before the cost of
 * parsing its components is paid.
 */
export function flowLimitErrors(doc: unknown): FlowLimitError[] {
  if (doc === null || typeof doc !== 'object') return [];
  const out: FlowLimitError[] = [];
  for (const field of Object.keys(FLOW_LIMITS) as FlowLimit[]) {
    const list = (doc as Record<string, unknown>)[field];
    const max = FLOW_LIMITS[field];
    if (Array.isArray(list) && list.length > max) out.push({ field, message: `a flow has at most ${max} ${field} (FLOW_LIMITS.${field}); this one has ${list.length}` });
  }
  return out;
}
