import { defineProcessor, fromUtf8, HttpTransportError, provide, REL_FAILURE, REL_SUCCESS, requireService, serviceExtensions, serviceKey, type FlowFile } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { createTestServices, FakeHttpClient, FakeScriptRunner, MemoryStateManager } from './fake-services.js';
import { ManualClock } from './manual-clock.js';
import { TestRunner } from './test-runner.js';

describe('FakeHttpClient', () => {
  it('answers scripted responses in order, then the fallback, and records every request', async () => {
    const http = new FakeHttpClient()
      .respond({ status: 200, body: { ok: true }, headers: { 'content-type': 'application/json' } })
      .respond({ status: 503 })
      .respondAlways((req) => ({ status: 201, body: `echo ${req.url}` }));
    const r1 = await http.request({ method: 'GET', url: 'http://erp/a' });
    const r2 = await http.request({ method: 'POST', url: 'http://erp/b', body: 'payload' });
    const r3 = await http.request({ method: 'PUT', url: 'http://erp/c', body: new TextEncoder().encode('bytes') });
    const r4 = await http.request({ method: 'GET', url: 'http://erp/d' });
    expect([r1.status, r1.statusText, fromUtf8(r1.body), r1.headers['content-type']]).toEqual([200, 'OK', '{"ok":true}', 'application/json']);
    expect([r2.status, r2.statusText, r2.body.length]).toEqual([503, 'Service Unavailable', 0]);
    expect([r3.status, fromUtf8(r3.body)]).toEqual([201, 'echo http://erp/c']);
    expect(fromUtf8(r4.body)).toBe('echo http://erp/d');
    expect(http.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET http://erp/a', 'POST http://erp/b', 'PUT http://erp/c', 'GET http://erp/d']);
    expect(http.bodies()).toEqual(['', 'payload', 'bytes', '']);
  });

  it('fails requests as transport errors and names an unscripted request', async () => {
    const http = new FakeHttpClient().fail('timed out after 5000 ms', 'timeout');
    const error = await http.request({ method: 'GET', url: 'http://erp/slow' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpTransportError);
    expect(error).toMatchObject({ message: 'timed out after 5000 ms', code: 'timeout' });
    await expect(http.request({ method: 'DELETE', url: 'http://erp/x' })).rejects.toThrow('FakeHttpClient: no scripted response for DELETE http://erp/x');
    expect(http.requests).toHaveLength(2);
  });

  it('serves a processor under the TestRunner', async () => {
    const Fetch = defineProcessor({
      descriptor: {
        type: 'Fetch',
        version: 1,
        displayName: 'Fetch',
        description: 'GETs the URL in the url attribute.',
        category: 'http',
        tags: [],
        properties: [],
        relationships: [REL_SUCCESS, REL_FAILURE],
        inputRequirement: 'required',
      },
      async onTrigger(ctx, session) {
        const ff = session.get();
        if (!ff) return;
        const res = await ctx.services.http.request({ method: 'GET', url: ff.attributes['url']!, headers: { accept: 'application/json' } });
        const out: FlowFile = session.putAttribute(session.write(ff, res.body), 'http.status', String(res.status));
        session.transfer(out, res.status < 400 ? 'success' : 'failure');
      },
    });
    const http = new FakeHttpClient().respond({ status: 200, body: '[1,2]' }).respond({ status: 404 });
    const runner = new TestRunner(Fetch, { services: { http } });
    runner.enqueue('', { url: 'http://erp/stock?page=1' });
    runner.enqueue('', { url: 'http://erp/stock?page=2' });
    await runner.run(2);
    runner.flowFilesFor('success')[0]!.assertContentEquals('[1,2]');
    runner.flowFilesFor('failure')[0]!.assertAttributeEquals('http.status', 404);
    expect(http.requests.map((r) => r.url)).toEqual(['http://erp/stock?page=1', 'http://erp/stock?page=2']);
    expect(http.requests[0]!.headers).toEqual({ accept: 'application/json' });
  });
});

describe('MemoryStateManager', () => {
  it('keeps scopes apart and hands out copies', async () => {
    const state = new MemoryStateManager();
    await state.set({ last: '1' });
    await state.set({ last: 'c' }, 'cluster');
    const local = await state.get();
    local['last'] = 'mutated';
    expect(await state.get()).toEqual({ last: '1' });
    expect(await state.get('cluster')).toEqual({ last: 'c' });
    await state.clear();
    expect(await state.get()).toEqual({});
    expect(await state.get('cluster')).toEqual({ last: 'c' });
  });

  it('replaces only when the stored state still equals the expected one', async () => {
    const state = new MemoryStateManager();
    expect(await state.replace({}, { v: '1' })).toBe(true);
    expect(await state.replace({}, { v: '2' })).toBe(false);
    expect(await state.replace({ v: '1', extra: 'x' }, { v: '2' })).toBe(false);
    expect(await state.replace({ v: '1' }, { v: '2' })).toBe(true);
    expect(await state.get()).toEqual({ v: '2' });
  });
});

describe('FakeScriptRunner', () => {
  it('records script requests and answers from its handler', async () => {
    const scripts = new FakeScriptRunner();
    const request = { language: 'python' as const, script: 'pass', inputs: [], timeoutMs: 1000, memoryLimitMb: 64 };
    expect(await scripts.run(request)).toEqual({ outputs: [], taken: [], logs: [], durationMs: 0 });
    scripts.setHandler((r) => ({ outputs: [], taken: [], logs: [{ level: 'info', message: r.script }], durationMs: 3 }));
    expect((await scripts.run({ ...request, script: 'print(1)' })).logs).toEqual([{ level: 'info', message: 'print(1)' }]);
    expect(scripts.requests.map((r) => r.script)).toEqual(['pass', 'print(1)']);
  });
});

describe('createTestServices', () => {
  it('gives deterministic uuids on the given clock and takes overrides', () => {
    const clock = new ManualClock(42);
    const http = new FakeHttpClient();
    const services = createTestServices(clock, { http });
    expect(services.clock.now()).toBe(42);
    expect(services.http).toBe(http);
    expect([services.randomUuid(), services.randomUuid()]).toEqual(['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']);
    expect(services.state).toBeInstanceOf(MemoryStateManager);
  });

  it('carries the services a host provides by key to the processor, so a spec fakes them with `extensions`', async () => {
    const GREETING = serviceKey<{ text: string }>('spec/greeting', 'the greeting');
    const Greet = defineProcessor({
      descriptor: { type: 'Greet', version: 1, displayName: 'Greet', description: 'Adds the greeting.', category: 'utility', tags: [], properties: [], relationships: [REL_SUCCESS], inputRequirement: 'required' },
      onTrigger(ctx, session) {
        const ff = session.get();
        if (ff) session.transfer(session.putAttribute(ff, 'greeting', requireService(ctx.services, GREETING).text), REL_SUCCESS.name);
      },
    });
    const runner = new TestRunner(Greet, { services: { extensions: serviceExtensions(provide(GREETING, { text: 'hello' })) } });
    runner.enqueue('');
    await runner.run();
    runner.flowFilesFor('success')[0]!.assertAttributeEquals('greeting', 'hello');
    const without = new TestRunner(Greet);
    without.enqueue('');
    await expect(without.run()).rejects.toThrow('this host does not provide the greeting');
    without.assertQueueNotEmpty();
  });
});
