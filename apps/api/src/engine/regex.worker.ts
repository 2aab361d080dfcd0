/** Worker thread entry of RegexWorkers: one regex job per message, without the in-thread input limit (its deadline stops it). */
import { parentPort } from 'node:worker_threads';
import { runJavaRegexJob, type JavaRegexJob } from '@sluice/expression';
import { encodeResults, wireBuffers } from './regex-wire.js';

const port = parentPort!;
port.on('message', (msg: { id: number; payload: JavaRegexJob }) => {
  try {
    const value = encodeResults(runJavaRegexJob(msg.payload, { unbounded: true }));
    port.postMessage({ id: msg.id, ok: true, value }, wireBuffers(value));
  } catch (e) {
    const err = e as Error;
    port.postMessage({ id: msg.id, ok: false, error: { name: err.name, message: err.message } });
  }
});
port.postMessage({ ready: true });
