import { z } from 'zod';
import { FLOW_LIMITS } from './flow-limits.js';

/** Names are shown and logged: no control characters (a NUL or an escape sequence in a log line is a trap). */
const visibleName = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s), 'must not contain control characters')
    .refine((s) => s.trim() !== '', 'must not be blank');

export const PositionSchema = z.object({ x: z.number(), y: z.number() });

export const SchedulingSchema = z.object({
  /** timer: every `period` (a duration; `0 sec` runs whenever there is work); cron: `period` is a cron expression; event: runs when work arrives. */
  strategy: z.enum(['timer', 'cron', 'event']).default('timer'),
  period: z.string().default('0 sec'),
  concurrentTasks: z.number().int().min(1).max(64).default(1),
  penaltyDuration: z.string().default('30 sec'),
  yieldDuration: z.string().default('1 sec'),
  /** Processors that support batching: how long one task runs triggers in a single session; unset takes the processor's default, '0 ms' commits every trigger. */
  runDuration: z.string().optional(),
  /**
   * NiFi's execution node: `PRIMARY` runs the processor on the cluster's leader only (a timer or cron source that must
   * fire once per cluster), and on the next leader when it goes; `ALL` (or unset) runs it on every node.
   */
  executionNode: z.enum(['ALL', 'PRIMARY']).optional(),
});
export type Scheduling = z.infer<typeof SchedulingSchema>;

export const ProcessorConfigSchema = z.object({
  id: z.string().min(1).max(64),
  type: z.string().min(1),
  name: visibleName(200),
  position: PositionSchema.default({ x: 0, y: 0 }),
  properties: z.record(z.string(), z.string()).default({}),
  scheduling: SchedulingSchema.default(SchedulingSchema.parse({})),
  /** Relationships whose FlowFiles are dropped when no connection uses them. */
  autoTerminated: z.array(z.string()).default([]),
  comments: z.string().optional(),
  /** The process group the processor sits in; absent: the flow's root. */
  groupId: z.string().min(1).max(64).optional(),
  /** A FlowFile kept as the step's test input (n8n's pinned data); stored with credentials masked. */
  pinned: z
    .object({
      attributes: z.record(z.string().max(500), z.string().max(100_000)).refine((a) => Object.keys(a).length <= 500, 'at most 500 attributes'),
      content: z.string().max(1_000_000),
      /** Where it came from, in words ("queue Read → Script", "provenance event 42", "typed"). */
      source: z.string().max(200).default('typed'),
      pinnedAt: z.string().max(40).optional(),
    })
    .optional(),
});
export type ProcessorConfig = z.infer<typeof ProcessorConfigSchema>;

export const ConnectionConfigSchema = z.object({
  id: z.string().min(1).max(64),
  sourceId: z.string().min(1),
  relationships: z.array(z.string().min(1)).min(1),
  targetId: z.string().min(1),
  name: z.string().optional(),
  /** NiFi's defaults: 10,000 FlowFiles / 1 GB. */
  backPressureObjectThreshold: z.number().int().min(1).default(10_000),
  backPressureDataSizeThreshold: z.string().default('1 GB'),
});
export type ConnectionConfig = z.infer<typeof ConnectionConfigSchema>;

/** A controller service of the flow (NiFi's model): configured once, named by processors' service properties by id. */
export const ControllerServiceConfigSchema = z.object({
  id: z.string().min(1).max(64),
  type: z.string().min(1),
  name: visibleName(200),
  properties: z.record(z.string(), z.string()).default({}),
  /** Only enabled (and valid) services can be used; processors naming a disabled one do not start. */
  enabled: z.boolean().default(true),
  comments: z.string().optional(),
  /** Its scope (NiFi's): processors of this group and of the groups inside it may use it; absent: the whole flow. */
  groupId: z.string().min(1).max(64).optional(),
});
export type ControllerServiceConfig = z.infer<typeof ControllerServiceConfigSchema>;

/**
 * A process group (NiFi's): a named box of processors, ports, services and groups, drawn as one node by its parent.
 * Its parameters are inherited by everything inside it, and a group's own value of a name overrides its parent's
 * (the flow's `parameters` are the root group's).
 */
export const ProcessGroupConfigSchema = z.object({
  id: z.string().min(1).max(64),
  name: visibleName(200),
  position: PositionSchema.default({ x: 0, y: 0 }),
  /** The group it sits in; absent: the flow's root. */
  parentGroupId: z.string().min(1).max(64).optional(),
  parameters: z.record(z.string(), z.string()).default({}),
  /** Names of this group's parameters whose values are secrets, as the flow's `sensitiveParameters`. */
  sensitiveParameters: z.array(z.string().min(1).max(200)).max(1000).default([]),
  comments: z.string().optional(),
});
export type ProcessGroupConfig = z.infer<typeof ProcessGroupConfigSchema>;

/** The one relationship of a port: a connection whose source is a port lists exactly this. */
export const PORT_RELATIONSHIP = 'success';

/**
 * A group's door (NiFi's input and output ports). An input port takes FlowFiles from a connection in the parent
 * group and hands them to connections inside its group; an output port takes them from inside and hands them to
 * connections in the parent. A port passes FlowFiles on unchanged. Ports live in a group: the root has none.
 */
export const PortConfigSchema = z.object({
  id: z.string().min(1).max(64),
  kind: z.enum(['input', 'output']),
  name: visibleName(200),
  /** The group whose door it is. */
  groupId: z.string().min(1).max(64).optional(),
  position: PositionSchema.default({ x: 0, y: 0 }),
  comments: z.string().optional(),
});
export type PortConfig = z.infer<typeof PortConfigSchema>;

export const QueryKeySchema = z.object({
  key: z.string().min(1),
  type: z.enum(['string', 'datetime']),
});

/** The Integrator's Configuration card: how a flow is triggered and what it talks to. */
export const IntegrationSettingsSchema = z.object({
  kind: z.enum(['stock', 'image', 'generic']).default('generic'),
  direction: z.enum(['inbound', 'outbound']).default('inbound'),
  /** Inbound schedule: `every` a duration (e.g. `5 mins`) or a `cron` expression. */
  schedule: z
    .object({ type: z.enum(['every', 'cron', 'none']), value: z.string().default('') })
    .default({ type: 'none', value: '' }),
  /** Run after another flow finishes successfully. */
  triggeredBy: z.string().optional(),
  timeZone: z.string().default('UTC'),
  /** Trigger settings: `sku` and `modified_date__gt` always, plus custom keys. */
  queryKeys: z.record(z.string(), QueryKeySchema).default({
    sku: { key: 'sku', type: 'string' },
    modified_date__gt: { key: 'modified_date__gt', type: 'datetime' },
  }),
  fetchMissing: z
    .object({
      enabled: z.boolean().default(false),
      interval: z.string().default('4 hours'),
      productizationDateLimitDays: z.number().int().min(1).max(3650).default(7),
      omnitronIdentifierPath: z.string().default('sku'),
    })
    .default({ enabled: false, interval: '4 hours', productizationDateLimitDays: 7, omnitronIdentifierPath: 'sku' }),
  maxConcurrentExecutions: z.number().int().min(1).max(100).default(5),
  /** The processor that outbound requests and manual triggers feed. */
  entryProcessorId: z.string().optional(),
});
export type IntegrationSettings = z.infer<typeof IntegrationSettingsSchema>;

export const FlowDocumentSchema = z.object({
  name: visibleName(200),
  description: z.string().max(5000).refine((s) => !s.includes('\u0000'), 'must not contain a NUL character').default(''),
  parameters: z.record(z.string(), z.string()).default({}),
  /** Parameters whose values are secrets (NiFi's sensitive parameters): stored sealed, never shown, exported empty. */
  sensitiveParameters: z.array(z.string().min(1).max(200)).max(1000).default([]),
  processors: z.array(ProcessorConfigSchema).max(FLOW_LIMITS.processors).default([]),
  connections: z.array(ConnectionConfigSchema).max(FLOW_LIMITS.connections).default([]),
  controllerServices: z.array(ControllerServiceConfigSchema).max(FLOW_LIMITS.controllerServices).default([]),
  /**
   * Nested process groups; a document without any is one root group (nothing changes for it). A connection's
   * source and target are processor or port ids (unique across processors, ports and groups), and it lives in one
   * group: it joins components of that group, or crosses one boundary through a port (see `connectionGroup`).
   */
  processGroups: z.array(ProcessGroupConfigSchema).max(FLOW_LIMITS.processGroups).default([]),
  ports: z.array(PortConfigSchema).max(FLOW_LIMITS.ports).default([]),
  integration: IntegrationSettingsSchema.optional(),
});
export type FlowDocument = z.infer<typeof FlowDocumentSchema>;
export type FlowDocumentInput = z.input<typeof FlowDocumentSchema>;
