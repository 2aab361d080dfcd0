import { describe, expect, it } from 'vitest';
import { FlowDocumentSchema, IntegrationSettingsSchema } from './flow-document.js';

describe('FlowDocumentSchema', () => {
  it('fills NiFi defaults for scheduling and back pressure', () => {
    const doc = FlowDocumentSchema.parse({
      name: 'stock',
      processors: [{ id: 'a', type: 'GenerateFlowFile', name: 'Generate' }, { id: 'b', type: 'LogAttribute', name: 'Log' }],
      connections: [{ id: 'c', sourceId: 'a', relationships: ['success'], targetId: 'b' }],
    });
    expect(doc.processors[0]!.scheduling).toEqual({ strategy: 'timer', period: '0 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' });
    expect(doc.processors[0]!.properties).toEqual({});
    expect(doc.connections[0]!.backPressureObjectThreshold).toBe(10_000);
    expect(doc.connections[0]!.backPressureDataSizeThreshold).toBe('1 GB');
    expect(doc.parameters).toEqual({});
    expect(doc.integration).toBeUndefined();
  });

  it('names the field of every problem', () => {
    const r = FlowDocumentSchema.safeParse({
      name: '',
      processors: [{ id: 'a', type: 'X', name: 'x', scheduling: { concurrentTasks: 0 } }],
      connections: [{ id: 'c', sourceId: 'a', relationships: [], targetId: 'b' }],
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'processors.0.scheduling.concurrentTasks', 'connections.0.relationships']));
  });

  it('refuses property values that are not strings, so nothing ambiguous is stored', () => {
    const r = FlowDocumentSchema.safeParse({ name: 'n', processors: [{ id: 'a', type: 'X', name: 'x', properties: { 'Batch Size': 5 } }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['processors', 0, 'properties', 'Batch Size']);
  });
});

describe('IntegrationSettingsSchema', () => {
  it('defaults to the Integrator trigger settings: sku and modified_date__gt, fetch missing off, 5 concurrent executions', () => {
    const s = IntegrationSettingsSchema.parse({});
    expect(s.queryKeys).toEqual({ sku: { key: 'sku', type: 'string' }, modified_date__gt: { key: 'modified_date__gt', type: 'datetime' } });
    expect(s.fetchMissing).toEqual({ enabled: false, interval: '4 hours', productizationDateLimitDays: 7, omnitronIdentifierPath: 'sku' });
    expect(s.maxConcurrentExecutions).toBe(5);
    expect(s.direction).toBe('inbound');
    expect(s.schedule).toEqual({ type: 'none', value: '' });
  });

  it('bounds the concurrent executions and the productization window', () => {
    expect(IntegrationSettingsSchema.safeParse({ maxConcurrentExecutions: 0 }).success).toBe(false);
    expect(IntegrationSettingsSchema.safeParse({ fetchMissing: { productizationDateLimitDays: 0 } }).success).toBe(false);
    expect(IntegrationSettingsSchema.safeParse({ schedule: { type: 'hourly' } }).success).toBe(false);
  });
});
