import { fromUtf8, provide, requireService, serviceExtensions, serviceKey, type Clock, type ProcessorServices } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { createHarness, graphConnection, graphProcessor, HoldingRepository, specProcessor, testServices, TestClock } from './engine-harness.testing.js';
import { dryRunServices, MAX_RECORDED_REQUESTS } from './dry-run.js';
import { InMemoryStore } from './in-memory-repository.js';

/** Services a processor package would own: a login cache and a ledger of the lines sent, each isolated in a dry run. */
const LOGINS = serviceKey<Map<string, string>>('spec/logins', 'the login cache', { dryRun: (base) => new Map(base) });
const LEDGER = serviceKey<string[]>('spec/ledger', 'the ledger', { dryRun: () => [] });
/** A service whose key says nothing about dry runs. */
const AUDIT = serviceKey<string[]>('spec/audit', 'the audit log');

function hostServices(clock: Clock): ProcessorServices {
  return { ...testServices(clock), extensions: serviceExtensions(provide(LOGINS, new Map()), provide(LEDGER, []), provide(AUDIT, [])) };
}

/** Posts each FlowFile's content to a "remote", logging in first when it has no token; logs a row per line. */
const Writer = specProcessor(
  { type: 'Writer', inputRequirement: 'required', sideEffects: { systems: ['Remote'], writes: true }, relationships: [{ name: 'success', description: 's' }, { name: 'failure', description: 'f' }] },
  {
    dryRunResponse: (request) => (request.url.endsWith('/login') ? { status: 200, body: { token: 'from-the-dry-run' } } : undefined),
    async onTrigger(ctx, session) {
      const ff = session.get();
      if (!ff) return;
      const s = ctx.services;
      const logins = requireService(s, LOGINS);
      let token = logins.get('remote');
      if (!token) {
        const login = await s.http.request({ method: 'POST', url: 'http://remote/login', body: '{"password":"secret"}' });
        token = (JSON.parse(fromUtf8(login.body)) as { token: string }).token;
        logins.set('remote', token);
      }
      const text = await session.readText(ff);
      const res = await s.http.request({ method: 'POST', url: 'http://remote/rows', headers: { authorization: `Token ${token}` }, body: text });
      await s.state.set({ last: text });
      requireService(s, LEDGER).push(...text.split('\n'));
      session.transfer(session.putAttribute(ff, 'status', String(res.status)), 'success');
    },
  },
);
const Sink = specProcessor({ type: 'Sink', inputRequirement: 'required' }, { onTrigger: (_c, session) => session.getBatch(100).forEach((f) => session.remove(f)) });

function flow(clock = new TestClock()) {
  const repository = new HoldingRepository(new InMemoryStore());
  const sent: string[] = [];
  const base = hostServices(clock);
  const http = { request: async (r: { url: string }) => (sent.push(r.url), { status: 201, statusText: 'Created', headers: {}, body: new TextEncoder().encode('{"token":"real"}'), durationMs: 1 }) };
  const services: ProcessorServices = { ...base, http };
  const h = createHarness({
    graph: {
      processors: [graphProcessor('write', 'Writer', { autoTerminated: ['failure'] }), graphProcessor('sink', 'Sink')],
      connections: [graphConnection('out', 'write', 'sink')],
    },
    definitions: [Writer, Sink],
    repository,
    store: repository.store,
    clock,
    services,
  });
  return { h, repository, sent, services };
}

describe('dry runs', () => {
  it('record every request with the answers the processor asked for, and store nothing', async () => {
    const base = hostServices(new TestClock());
    await base.state.set({ last: 'before' });
    const dry = dryRunServices(base, Writer, {});
    const h = createHarness({ graph: { processors: [graphProcessor('write', 'Writer', { autoTerminated: ['success', 'failure'] })] }, definitions: [Writer] });
    const result = await h.engine.testProcessor('write', { content: 'A\nB' }, { services: dry.services });
    expect(result.error).toBeUndefined();
    expect(dry.http.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', 'http://remote/login', '{"password":"secret"}'],
      ['POST', 'http://remote/rows', 'A\nB'],
    ]);
    expect(dry.http.requests[0]!.answer).toEqual({ status: 200, body: { token: 'from-the-dry-run' } });
    expect(dry.http.requests[1]!.headers).toEqual({ authorization: 'Token from-the-dry-run' });
    expect(result.outputs[0]!.attributes['status']).toBe('200');
    expect(dry.services.extensions!.get(LEDGER)).toEqual(['A', 'B']);
    // The login it would cache, the lines it would note and the state it would store stay in the run.
    expect(base.extensions!.get(LOGINS)!.has('remote')).toBe(false);
    expect(base.extensions!.get(LEDGER)).toEqual([]);
    expect(await base.state.get()).toEqual({ last: 'before' });
    expect(await dry.services.state.get()).toEqual({ last: 'A\nB' });
  });

  it('reads through to cached logins, so a cached token sends no login', async () => {
    const base = hostServices(new TestClock());
    base.extensions!.get(LOGINS)!.set('remote', 'cached');
    const dry = dryRunServices(base, Writer, {});
    const h = createHarness({ graph: { processors: [graphProcessor('write', 'Writer', { autoTerminated: ['success', 'failure'] })] }, definitions: [Writer] });
    await h.engine.testProcessor('write', { content: 'A' }, { services: dry.services });
    expect(dry.http.requests.map((r) => r.url)).toEqual(['http://remote/rows']);
    expect(dry.http.requests[0]!.headers['authorization']).toBe('Token cached');
  });

  it('leave out a service whose key does not say how to isolate it', async () => {
    const dry = dryRunServices(hostServices(new TestClock()), Writer, {});
    expect(dry.services.extensions!.get(AUDIT)).toBeUndefined();
    expect(() => requireService(dry.services, AUDIT)).toThrow('this host does not provide the audit log');
  });

  it('answers from the configuration with every unset default in force', async () => {
    const Login = specProcessor(
      { type: 'Login', properties: [{ name: 'Token Path', displayName: 'Token Path', description: 'd', type: 'string', default: 'token' }] },
      { dryRunResponse: (_request, config) => ({ status: 200, body: { path: config['Token Path'] ?? null } }), onTrigger: () => undefined },
    );
    const answer = async (config: Record<string, string>) => {
      const dry = dryRunServices(testServices(new TestClock()), Login, config);
      await dry.services.http.request({ method: 'POST', url: 'http://remote/login' });
      return dry.http.requests[0]!.answer;
    };
    expect(await answer({})).toEqual({ status: 200, body: { path: 'token' } });
    expect(await answer({ 'Token Path': 'data.key' })).toEqual({ status: 200, body: { path: 'data.key' } });
  });

  it('keeps a bounded number of requests and counts the rest', async () => {
    const dry = dryRunServices(testServices(new TestClock()), Writer, {});
    for (let i = 0; i < MAX_RECORDED_REQUESTS + 5; i++) await dry.services.http.request({ method: 'get', url: `http://remote/${i}` });
    expect(dry.http.requests).toHaveLength(MAX_RECORDED_REQUESTS);
    expect(dry.http.count).toBe(MAX_RECORDED_REQUESTS + 5);
    expect(dry.http.requests[0]).toMatchObject({ method: 'GET', answer: { status: 200, body: {} } });
  });
});

describe('live runs', () => {
  it('send for real, consume the chosen FlowFile and pass the result on, so the flow never takes it again', async () => {
    const { h, repository, sent } = flow();
    const [a, b] = await h.engine.enqueue('write', [
      { attributes: { filename: 'a' }, content: 'A' },
      { attributes: { filename: 'b' }, content: 'B' },
    ]);
    const result = await h.engine.runLive('write', b!.uuid);
    expect(result).toMatchObject({ consumed: true, outputs: [{ relationship: 'success', attributes: { filename: 'b', status: '201' } }] });
    expect(sent).toEqual(['http://remote/login', 'http://remote/rows']);
    expect(h.engine.queue('ingress:write').flowFiles.map((f) => f.flowFile.uuid)).toEqual([a!.uuid]);
    expect(h.engine.queue('out').flowFiles.map((f) => f.flowFile.attributes['filename'])).toEqual(['b']);
    expect(repository.transactions.at(-1)!.deletes).toEqual([]);
    expect(repository.transactions.at(-1)!.upserts.map((u) => [u.flowFile.uuid, u.connectionId])).toEqual([[b!.uuid, 'out']]);
    expect(h.provenance.events.filter((e) => e.flowFileUuid === b!.uuid).map((e) => e.eventType)).toEqual(['CREATE', 'ATTRIBUTES_MODIFIED']);
    expect(h.engine.status().connections.find((c) => c.id === 'ingress:write')).toMatchObject({ count: 1, inFlight: 0 });
    await expect(h.engine.runLive('write', b!.uuid)).rejects.toThrow(`FlowFile ${b!.uuid} is not queued for write`);
  });

  it('put a FlowFile back in its place when the processor fails, and report the error', async () => {
    const { h, services } = flow();
    (services.http as { request: () => Promise<never> }).request = () => Promise.reject(new Error('remote is down'));
    const [a, b, c] = await h.engine.enqueue('write', ['a', 'b', 'c'].map((n) => ({ attributes: { filename: n }, content: n })));
    const result = await h.engine.runLive('write', b!.uuid);
    expect(result).toMatchObject({ consumed: false, error: 'remote is down', outputs: [] });
    expect(h.engine.queue('ingress:write').flowFiles.map((f) => f.flowFile.uuid).sort()).toEqual([a!.uuid, b!.uuid, c!.uuid].sort());
    expect(h.engine.status().connections.find((x) => x.id === 'ingress:write')).toMatchObject({ count: 3, inFlight: 0 });
  });

  it('do not run an invalid processor', async () => {
    const h = createHarness({ graph: { processors: [graphProcessor('write', 'Writer')] }, definitions: [Writer] });
    const [a] = await h.engine.enqueue('write', [{ attributes: {}, content: 'A' }]);
    await expect(h.engine.runLive('write', a!.uuid)).rejects.toThrow("write is invalid: Relationship 'success' is neither connected nor auto-terminated");
    expect(h.engine.queue('ingress:write').count).toBe(1);
  });
});
