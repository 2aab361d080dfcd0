import type { FlowDocument } from '@sluice/contracts';
import { hasRole } from '@sluice/flow-api';
import type { FlowEngine } from '@sluice/flow-core';
import { getProcessor } from '@sluice/processors';
import type { FlowEntity } from '../persistence/entities.js';
import type { ScriptChecks } from '../scripting/script-checks.js';

/** What a stored flow keeps running: its list, or for flows saved before there was one, everything while it runs. */
export function keptRunning(flow: FlowEntity, doc: FlowDocument): Set<string> {
  if (flow.runningProcessors) {
    try {
      return new Set(JSON.parse(flow.runningProcessors) as string[]);
    } catch {
      // An unreadable list: nothing runs until the user starts it.
      return new Set();
    }
  }
  return flow.state === 'running' ? new Set(runnable(doc).map((p) => p.id)) : new Set();
}

/** What the engine runs: processors, and process groups' ports (which run as pass-through nodes). */
export function runnable(doc: FlowDocument): { id: string; name: string }[] {
  return [...doc.processors, ...(doc.ports ?? [])];
}

/** Kept-running processors whose script does not compile: they must not start. */
export async function blockedScripts(checks: ScriptChecks, doc: FlowDocument, kept: Set<string>): Promise<Set<string>> {
  const scripts = doc.processors.filter((p) => kept.has(p.id) && hasRole(getProcessor(p.type)?.descriptor ?? {}, 'script'));
  if (scripts.length === 0) return new Set();
  const issues = await checks.issues({ ...doc, processors: scripts });
  return new Set(issues.map((i) => i.processorId!));
}

/** Processors kept running whose configuration cannot run, by the engine's checks or the script checks. */
export function waitingProcessors(engine: FlowEngine, kept: Set<string>, blocked: Set<string>): string[] {
  const invalid = new Set(engine.status().processors.filter((p) => !p.valid).map((p) => p.id));
  return [...kept].filter((id) => invalid.has(id) || blocked.has(id));
}

export function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
