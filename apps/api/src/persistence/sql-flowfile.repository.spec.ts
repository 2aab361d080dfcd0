import type { FlowFile } from '@sluice/flow-api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialAttributeCipher } from '../secrets/attribute-cipher.js';
import { SecretBox } from '../secrets/secret-box.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { openTestDataSource } from '../testing/test-database.js';
import { SqlFlowFileRepository } from './sql-flowfile.repository.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-ffrepo-'));
const box = new SecretBox(new TextEncoder().encode('s'.repeat(40)));
const cipher = (b: SecretBox) => credentialAttributeCipher(b, new SecretRegistry());
let ds: DataSource;
let close: () => Promise<void>;
let repo: SqlFlowFileRepository;
beforeAll(async () => {
  ({ ds, close } = await openTestDataSource(dir));
  repo = new SqlFlowFileRepository(ds, cipher(box));
  await repo.init();
});
afterAll(async () => {
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

const ff = (uuid: string, claim: string | null, attributes: Record<string, string> = {}): FlowFile => ({
  uuid,
  attributes: { uuid, ...attributes },
  contentClaim: claim,
  size: claim ? 3 : 0,
  lineageStartDate: 1,
  entryDate: 1,
  parentUuids: [],
  penaltyExpiration: 0,
});
const claims = async () => ((await ds.query('SELECT "claim" FROM "content_claim" ORDER BY "claim"')) as { claim: string }[]).map((r) => r.claim);

describe('SqlFlowFileRepository', () => {
  it('seals login tokens in stored attributes and opens them when the queue comes back', async () => {
    await repo.commit({
      flowId: 'f',
      upserts: [{ connectionId: 'c', flowFile: ff('a', null, { 'token.omnitron': 'live-token', 'erp.auth.header.value': 'Bearer jwt', sku: '1' }) }],
      deletes: [],
      contents: [],
    });
    const [row] = (await ds.query(`SELECT "attributes" FROM "flowfile" WHERE "uuid" = 'a'`)) as { attributes: string }[];
    expect(row!.attributes).not.toContain('live-token');
    expect(row!.attributes).not.toContain('Bearer jwt');
    expect(JSON.parse(row!.attributes).sku).toBe('1');
    const [back] = await new SqlFlowFileRepository(ds, cipher(box)).loadQueued('f');
    expect(back!.flowFile.attributes).toMatchObject({ 'token.omnitron': 'live-token', 'erp.auth.header.value': 'Bearer jwt', sku: '1' });
    // Sealed with another key: the token is dropped (the step logs in again), the FlowFile is not.
    const [other] = await new SqlFlowFileRepository(ds, cipher(new SecretBox(new TextEncoder().encode('o'.repeat(40))))).loadQueued('f');
    expect(other!.flowFile.attributes['token.omnitron']).toBeUndefined();
    expect(other!.flowFile.attributes['sku']).toBe('1');
    await repo.commit({ flowId: 'f', upserts: [], deletes: ['a'], contents: [] });
  });

  it('frees released content in the same commit unless another FlowFile still uses it', async () => {
    const bytes = new TextEncoder().encode('abc');
    await repo.commit({
      flowId: 'f',
      upserts: [{ connectionId: 'c', flowFile: ff('x', 'shared') }, { connectionId: 'd', flowFile: ff('y', 'shared') }, { connectionId: 'c', flowFile: ff('z', 'own') }],
      deletes: [],
      contents: [{ claim: 'shared', bytes }, { claim: 'own', bytes }],
    });
    expect(await claims()).toEqual(['own', 'shared']);
    await repo.commit({ flowId: 'f', upserts: [], deletes: ['x', 'z'], contents: [], released: ['shared', 'own'] });
    expect(await claims()).toEqual(['shared']);
    await repo.commit({ flowId: 'f', upserts: [], deletes: ['y'], contents: [], released: ['shared'] });
    expect(await claims()).toEqual([]);
  });

  it('stores a large content in pieces, reads it back whole, and frees the pieces with the claim', async () => {
    const bytes = new Uint8Array(5 * 1024 * 1024 + 17).map((_, i) => (i * 31) % 251);
    await repo.commit({ flowId: 'f', upserts: [{ connectionId: 'c', flowFile: { ...ff('big', 'big-claim'), size: bytes.length } }], deletes: [], contents: [{ claim: 'big-claim', bytes }] });
    const pieces = (await ds.query(`SELECT "seq", length("data") AS "n" FROM "content_chunk" WHERE "claim" = 'big-claim' ORDER BY "seq"`)) as { seq: number; n: number }[];
    expect(pieces.map((p) => Number(p.n))).toEqual([1048576, 1048576, 1048576, 1048576, 1048576, 17]);
    const [own] = (await ds.query(`SELECT length("data") AS "n" FROM "content_claim" WHERE "claim" = 'big-claim'`)) as { n: number }[];
    expect(Number(own!.n)).toBe(0);
    const back = await new SqlFlowFileRepository(ds, cipher(box)).read('big-claim');
    expect(back.length).toBe(bytes.length);
    expect(Buffer.compare(Buffer.from(back), Buffer.from(bytes))).toBe(0);
    await repo.commit({ flowId: 'f', upserts: [], deletes: ['big'], contents: [], released: ['big-claim'] });
    expect(await claims()).toEqual([]);
    // The pieces go after the commit, one statement each.
    await repo.drain();
    expect(await ds.query(`SELECT "claim" FROM "content_chunk"`)).toEqual([]);
  });

  it('leaves the pieces of a commit that failed to the garbage collection', async () => {
    const failing = new SqlFlowFileRepository(ds, cipher(box));
    failing.participate({ inCommit: () => Promise.reject(new Error('refused')) });
    const bytes = new Uint8Array(3 * 1024 * 1024);
    await expect(failing.commit({ flowId: 'f', upserts: [{ connectionId: 'c', flowFile: { ...ff('l', 'lost'), size: bytes.length } }], deletes: [], contents: [{ claim: 'lost', bytes }] })).rejects.toThrow('refused');
    expect(await claims()).toEqual([]);
    // Postgres answers COUNT(*) as a bigint string, SQLite as a number.
    expect(Number(((await ds.query(`SELECT COUNT(*) AS "n" FROM "content_chunk"`)) as { n: number | string }[])[0]!.n)).toBe(3);
    await failing.sweep();
    expect(await ds.query(`SELECT "claim" FROM "content_chunk"`)).toEqual([]);
  });
});
