/** Worker thread entry of OutboundBatchReader: decodes one batch per message and hands its content back without a copy. */
import { parentPort } from 'node:worker_threads';
import type { RawBody } from '../common/request-body.js';
import { decodeBatch, type RowRule } from './outbound-batch.js';

const port = parentPort!;
port.on('message', (msg: { id: number; payload: { raw: RawBody; rule: RowRule | null } }) => {
  try {
    const value = decodeBatch(msg.payload.raw, msg.payload.rule);
    port.postMessage({ id: msg.id, ok: true, value }, [value.content.buffer as ArrayBuffer]);
  } catch (e) {
    const err = e as Error & { errors?: unknown };
    port.postMessage({ id: msg.id, ok: false, error: { name: err.name, message: err.message, errors: err.errors } });
  }
});
port.postMessage({ ready: true });
