import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Faults, readJson, sendJson, SimRequestError } from './index.js';

describe('Faults', () => {
  it('hands out the injected failures one by one, then a 401 once, and counts them', () => {
    const f = new Faults();
    f.apply({ failNext: 2, failStatus: 503, unauthorizedOnce: true });
    expect([f.takeFailure('/a'), f.takeFailure('/a'), f.takeFailure('/a')]).toEqual([503, 503, null]);
    expect([f.takeUnauthorized(), f.takeUnauthorized()]).toEqual([true, false]);
    expect(f.injected).toBe(3);
    f.apply({ delayMs: 20 });
    f.reset();
    expect(f.snapshot()).toEqual({ failNext: 0, failStatus: 500, failPath: '', delayMs: 0, unauthorizedOnce: false });
  });

  it('fails only requests under failPath when one is set', () => {
    const f = new Faults();
    f.apply({ failNext: 1, failPath: '/api/stock' });
    expect(f.takeFailure('/auth/token')).toBeNull();
    expect(f.takeFailure('/api/stock?page=2')).toBe(500);
  });

  it('refuses settings that are not non-negative integers with a 400', () => {
    const f = new Faults();
    expect(() => f.apply({ failNext: -1 })).toThrow(SimRequestError);
    expect(() => f.apply({ delayMs: 1.5 })).toThrow(/delayMs must be a non-negative integer/);
  });
});

describe('readJson and sendJson', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function echo(body: string): Promise<{ status: number; json: unknown }> {
    server = createServer((req, res) => {
      readJson(req).then(
        (value) => sendJson(res, 200, { value }),
        (e: SimRequestError) => sendJson(res, e.status, { detail: e.message }),
      );
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body });
    return { status: res.status, json: await res.json() };
  }

  it('answers a JSON body with its value', async () => {
    expect(await echo('{"a":[1,2]}')).toEqual({ status: 200, json: { value: { a: [1, 2] } } });
  });

  it('answers an empty or broken body with a 400 that says why', async () => {
    expect(await echo('')).toEqual({ status: 400, json: { detail: 'request body is empty; a JSON body is required' } });
    const broken = await echo('{"a":');
    expect(broken.status).toBe(400);
    expect((broken.json as { detail: string }).detail).toMatch(/^request body is not valid JSON: /);
  });
});
