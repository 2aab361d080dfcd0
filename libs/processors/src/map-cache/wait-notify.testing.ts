import { MemoryMapCacheStore, TestRunner, type MockFlowFile, type TestRunnerOptions } from '@sluice/flow-testing';
import type { FlowFile } from '@sluice/flow-api';
import { Notify } from '../notify/notify.processor.js';
import { Wait } from '../wait/wait.processor.js';
import { MapCacheClientService } from './map-cache-client.service.js';

/** A Wait and a Notify on one shared cache, as a flow wires them; `options` are the Wait runner's (its clock is shared). */
export function waitNotifyPair(wait: Record<string, string> = {}, notify: Record<string, string> = {}, options: Pick<TestRunnerOptions, 'clock' | 'timeSliceMs'> = {}) {
  const store = new MemoryMapCacheStore();
  const w = new TestRunner(Wait, { ...options, services: { mapCache: store } }).addControllerService('cache', MapCacheClientService);
  w.setProperties({ 'Distributed Cache Service': 'cache', 'Release Signal Identifier': '${batch}', ...wait });
  const n = new TestRunner(Notify, { services: { mapCache: store }, clock: w.clock, processorId: 'Notify-1' }).addControllerService('cache', MapCacheClientService);
  n.setProperties({ 'Distributed Cache Service': 'cache', 'Release Signal Identifier': '${batch}', ...notify });
  return { wait: w, notify: n, store };
}

/** Sends a signal through the Notify runner. */
export async function signal(n: TestRunner, attributes: Record<string, string>, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) n.enqueue('', attributes);
  await n.run(times);
}

/** Loops what went to 'wait' back into the Wait runner (the usual self-connection) and clears the outputs. */
export function loopBack(w: TestRunner): MockFlowFile[] {
  const waiting = w.flowFilesFor('wait');
  w.clearTransferState();
  for (const f of waiting) w.enqueue(f.contentText(), { ...f.attributes });
  return waiting;
}

export const texts = (list: readonly (MockFlowFile | FlowFile)[]) => list.map((f) => ('contentText' in f ? f.contentText() : f.uuid));

export async function signalEntry(store: MemoryMapCacheStore, id: string) {
  const e = await store.fetch('localhost:4557', id);
  return e ? (JSON.parse(e.value) as { counts: Record<string, number>; attributes: Record<string, string>; releasableCount: number }) : null;
}
