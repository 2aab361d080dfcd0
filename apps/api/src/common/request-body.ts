import { SetMetadata } from '@nestjs/common';
import express from 'express';
import { PayloadTooLargeError } from './errors.js';
import { assertDepth, MAX_BODY_DEPTH } from './json-depth.js';

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

const parsers = new Map<number, express.RequestHandler[]>();

function parsersFor(limit: number): express.RequestHandler[] {
  let p = parsers.get(limit);
  if (!p) {
    p = [
      express.json({ limit, type: ['application/json', 'application/*+json'] }),
      express.text({ limit, type: ['text/*', 'application/csv'] }),
    ];
    parsers.set(limit, p);
  }
  return p;
}

/** Reads and parses the body (JSON or text) up to `limit` bytes; a no-op for requests without one. */
export async function readBody(req: express.Request, res: express.Response, limit: number): Promise<void> {
  // body-parser drains an oversized body before it reports it; an announced size over the limit is refused at once.
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > limit) {
    throw new PayloadTooLargeError(`request body of ${announced} bytes exceeds this route's limit of ${limit} bytes (${formatBytes(limit)})`);
  }
  for (const parse of parsersFor(limit)) {
    await new Promise<void>((resolve, reject) => parse(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
  }
  if (req.body !== undefined && typeof req.body === 'object') assertDepth(req.body, MAX_BODY_DEPTH);
}

/** A human size for messages: 16 KB, 1 MB. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / 1024 / 1024} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}
