import { readFileSync } from 'node:fs';
import { parseJson, stringifyJson, toPlainJson } from '@sluice/jolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';

const mathTests = parseJson(readFileSync(new URL('../../../../libs/jolt/conformance/modifier/functions/mathTests.json', import.meta.url), 'utf8'), { javaDoubles: true }) as Record<string, unknown>;

describe('the mapping pane runs JoltTransformJSON itself', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = async (json: unknown) => {
    const res = await api.request('/api/test/mapping', { method: 'POST', json });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("passes Jolt's own mathTests OVERWRITR case: 10.0 pasted as text stays a Java double", async () => {
    // Text as a user pastes it, with the doubles written as Java writes them.
    const r = await post({
      properties: { 'Jolt Transform': 'jolt-transform-modify-overwrite' },
      spec: stringifyJson(mathTests['spec']),
      context: stringifyJson(mathTests['context']),
      input: stringifyJson(mathTests['input']),
    });
    expect(r.status).toBe(200);
    expect(r.body['relationship']).toBe('success');
    expect(toPlainJson(parseJson(String(r.body['content'])))).toEqual(toPlainJson(mathTests['OVERWRITR']));
    expect(String(r.body['content'])).toContain('"aDouble":10.0');
  });

  it('shows the exact text the processor writes: Java doubles and key order', async () => {
    const r = await post({
      spec: '[{"operation": "shift", "spec": {"images": {"*": {"url": "images.@(1,order)"}}, "price": "price"}}]',
      input: '{"images": [{"order": "3", "url": "c.jpg"}, {"order": "1", "url": "a.jpg"}], "price": 10.0}',
    });
    expect(r.body['content']).toBe('{"images":{"3":"c.jpg","1":"a.jpg"},"price":10.0}');
    expect(r.body['attributes']).toMatchObject({ 'mime.type': 'application/json' });
  });

  it("uses the step's properties: an attribute source, pretty printing, NiFi 1.x keys, the failure route", async () => {
    const attribute = await post({
      properties: { 'jolt-transform': 'jolt-transform-shift', 'JSON Source': 'ATTRIBUTE', 'JSON Source Attribute': 'payload', 'Pretty Print': 'true' },
      spec: '{"a": "b"}',
      input: 'content stays',
      attributes: { payload: '{"a": 1}' },
    });
    expect(attribute.body).toMatchObject({ relationship: 'success', content: '{\n  "b" : 1\n}', output: { b: 1 } });

    const failure = await post({ spec: '[{"operation": "sort"}]', input: '{"a": }' });
    expect(failure.status).toBe(200);
    expect(failure.body['relationship']).toBe('failure');
    expect(String(failure.body['error'])).toMatch(/content is not JSON/);
  });

  it('evaluates a specification given as Expression Language against the attributes', async () => {
    const r = await post({ spec: '[{"operation": "shift", "spec": {"a": "${target}"}}]', input: '{"a": 1}', attributes: { target: 'renamed' } });
    expect(r.body['content']).toBe('{"renamed":1}');
  });

  it('lists unused paths even when the step does not report them, and refuses a bad configuration naming the field', async () => {
    const r = await post({ spec: '[{"operation": "shift", "spec": {"a": "x", "gone": "y"}}]', input: '{"a": 1, "b": 2}' });
    expect(r.body['content']).toBe('{"x":1}');
    expect((r.body['warnings'] as { path: string }[]).map((w) => w.path)).toEqual(['b', '[0].spec.gone']);
    expect(r.body['warningCount']).toBe(2);

    const bad = await post({ spec: '{"a": 5}', properties: { 'Jolt Transform': 'jolt-transform-shift' }, input: '{}' });
    expect(bad.status).toBe(400);
    expect((bad.body['errors'] as { field: string }[])[0]!.field).toBe('spec');
    const custom = await post({ spec: '{}', properties: { 'Jolt Transform': 'jolt-transform-custom' }, input: '{}' });
    expect(custom.status).toBe(400);
    expect(String(custom.body['error'])).toMatch(/not supported/);
  });
});
