/** True when following `triggeredBy` from `id` comes back to `id`: such a flow would run itself forever. */
export function inChainCycle(id: string, triggeredByOf: (flowId: string) => string | undefined): boolean {
  const seen = new Set<string>();
  for (let next = triggeredByOf(id); next !== undefined && !seen.has(next); next = triggeredByOf(next)) {
    if (next === id) return true;
    seen.add(next);
  }
  return false;
}
