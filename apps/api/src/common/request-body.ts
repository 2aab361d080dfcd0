import { SetMetadata } from '@nestjs/common';
import express from 'express';
import { DomainError, PayloadTooLargeError } from './errors.js';
import { assertDepth, MAX_BODY_DEPTH } from './json-depth.js';
import { yieldToLoop } from './slices.js';

export const BODY_LIMIT = 'sluice:body-limit';

/** Body limits in bytes. Bodies are read only after the caller is authenticated (see AuthGuard). */
export const BODY_LIMITS = {
  /** Routes that need no token (login): nothing legitimate is larger. */
  public: 16 * 1024,
  /** Everything not listed otherwise. */
  default: 1024 * 1024,
  /** Flow documents (create, import, save) carry scripts and Jolt specs. */
  document: 10 * 1024 * 1024,
  /**
   * Test panes and processor tests carry a pasted ERP response. Parsing, checking and encoding a body runs on the
   * event loop in one go: at 2 MB that stays well under the 100 ms no request may hold it for.
   */
  test: 2 * 1024 * 1024,
} as const;

/** `'outbound'` takes SLUICE_MAX_BODY. */
export type BodyLimitValue = number | 'outbound';

/** The largest body this route reads. */
export const BodyLimit = (limit: BodyLimitValue) => SetMetadata(BODY_LIMIT, limit);

/** The route takes the body as bytes (a RawBody) and parses it itself, off the event loop; the limit still holds. */
export const RAW_BODY = 'sluice:raw-body';
export const RawBody = () => SetMetadata(RAW_BODY, true);

/** A body as it came off the wire (inflated), unparsed: JSON, or text for text/* types. */
export interface RawBody {
  readonly bytes: Uint8Array;
  /** The Content-Type's charset, or utf-8. */
  readonly charset: string;
  /** A text/* body: the value is that one string, not JSON. */
  readonly text: boolean;
}

const JSON_TYPES = ['application/json', 'application/*+json'];
const TEXT_TYPES = ['text/*', 'application/csv'];

const parsers = new Map<number, express.RequestHandler[]>();
const rawReaders = new Map<number, express.RequestHandler>();

function parsersFor(limit: number): express.RequestHandler[] {
  let p = parsers.get(limit);
  if (!p) {
    p = [
      express.json({ limit, type: JSON_TYPES }),
      express.text({ limit, type: TEXT_TYPES }),
    ];
    parsers.set(limit, p);
  }
  return p;
}

/** Reads and parses the body (JSON or text) up to `limit` bytes; a no-op for requests without one. */
export async function readBody(req: express.Request, res: express.Response, limit: number): Promise<void> {
  refuseAnnounced(req, limit);
  for (const parse of parsersFor(limit)) await use(parse, req, res);
  if (req.body === undefined || typeof req.body !== 'object') return;
  // Parsing a large body and walking it are each a long synchronous step; between them other requests get their
  // turn, so two large bodies arriving together do not hold the loop for the sum of both.
  if (Number(req.headers['content-length'] ?? 0) > YIELD_AFTER_BYTES) await yieldToLoop();
  assertDepth(req.body, MAX_BODY_DEPTH);
}

/** Bodies above this parse in a few milliseconds or more: worth handing the loop back before the depth walk. */
const YIELD_AFTER_BYTES = 256 * 1024;

/**
 * Reads a JSON or text body up to `limit` bytes without parsing it: `req.body` becomes a RawBody, or stays undefined
 * without a body (or with another type). Charsets are refused as the parsers would refuse them.
 */
export async function readRawBody(req: express.Request, res: express.Response, limit: number): Promise<void> {
  refuseAnnounced(req, limit);
  const text = Boolean(req.is(TEXT_TYPES));
  if (!text && !req.is(JSON_TYPES)) return;
  const charset = (/;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1] ?? 'utf-8').toLowerCase();
  if (text ? !decodable(charset) : !charset.startsWith('utf-') || !decodable(charset)) throw new DomainError(`unsupported charset "${charset.toUpperCase()}"`, 415);
  let reader = rawReaders.get(limit);
  if (!reader) rawReaders.set(limit, (reader = express.raw({ limit, type: [...JSON_TYPES, ...TEXT_TYPES] })));
  await use(reader, req, res);
  req.body = Buffer.isBuffer(req.body) ? ({ bytes: req.body, charset, text } satisfies RawBody) : undefined;
}

function decodable(charset: string): boolean {
  try {
    new TextDecoder(charset);
    return true;
  } catch {
    return false;
  }
}

/** body-parser drains an oversized body before it reports it; an announced size over the limit is refused at once. */
function refuseAnnounced(req: express.Request, limit: number): void {
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > limit) {
    throw new PayloadTooLargeError(`request body of ${announced} bytes exceeds this route's limit of ${limit} bytes (${formatBytes(limit)})`);
  }
}

function use(handler: express.RequestHandler, req: express.Request, res: express.Response): Promise<void> {
  return new Promise<void>((resolve, reject) => void handler(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
}

/** A human size for messages: 16 KB, 1 MB. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / 1024 / 1024} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}
