import type { ControllerServiceDescriptor, ProcessorDescriptor } from '@sluice/flow-api';
import type { FlowDocument } from './flow-document.js';

/** What the API shows instead of a stored secret; a save that sends it back keeps the stored value. */
export const SECRET_MASK = '********';

export type Role = 'admin' | 'editor' | 'viewer';

export interface LoginRequest {
  username: string;
  password: string;
}
export interface LoginResponse {
  token: string;
  user: UserDto;
}
export interface UserDto {
  id: string;
  username: string;
  role: Role;
}

/** A flow's API key for outbound callers; the key itself is shown once, when it is created. */
export interface ApiKeyDto {
  id: string;
  flowId: string;
  name: string;
  /** The key's first characters, to tell keys apart. */
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}
export interface CreatedApiKeyDto extends ApiKeyDto {
  /** Send as `X-API-Key: <key>` (or `Authorization: Bearer <key>`) to POST /api/outbound/:flowId. */
  key: string;
}

/** A problem with one field of a request, or one property of one processor. */
export interface FieldError {
  field: string;
  message: string;
  processorId?: string;
  line?: number;
  column?: number;
}
/** Every 4xx body: a message plus the fields at fault. */
export interface ErrorResponse {
  statusCode: number;
  error: string;
  message: string;
  errors?: FieldError[];
}

export type FlowRunState = 'stopped' | 'running';

export interface FlowSummaryDto {
  id: string;
  name: string;
  description: string;
  version: number;
  state: FlowRunState;
  kind?: string;
  direction?: string;
  updatedAt: string;
  /** The flow's newest execution, if it ran. */
  lastExecution?: { id: string; status: ExecutionStatus; startedAt: string; finishedAt: string | null; error: string | null };
  /** Executions that failed or partly failed, and rows that failed, over the last 24 hours. */
  last24h?: { failedExecutions: number; failedRows: number };
}

/** One problem of a saved flow, once, worded for a person; on a processor (and property), a connection, or the flow. */
export interface ProcessorValidationDto {
  /** null: a problem of a connection (`connectionId`) or of the flow's settings (`field`). */
  processorId: string | null;
  connectionId?: string;
  /** A flow setting at fault, as `integration.schedule.value`. */
  field?: string;
  /** Set when the problem is a controller service's (processorId null). */
  serviceId?: string;
  property: string | null;
  message: string;
  line?: number;
  column?: number;
  /** `required`: a value is still missing; `invalid`: a value or the wiring is wrong. */
  code?: 'required' | 'invalid';
}

/** What a save did to the processors the user keeps running (it never starts or stops one on its own). */
export interface AppliedChangeDto {
  /** Running processors whose configuration changed: stopped, changed and started again, as NiFi applies a change. */
  restarted: string[];
  /** Processors the user keeps running whose new configuration is invalid: they stay stopped until it is fixed, then start. */
  waiting: string[];
  /**
   * Processors the change stopped whose onScheduled then failed (a listener's port in use): no longer kept running, as
   * a failed start. Without `processorId` the engine could not be rebuilt at all: the document is stored, the flow goes
   * on as it ran before, and the next save or restart applies it.
   */
  failed?: { processorId?: string; message: string }[];
}

export interface FlowDto extends FlowSummaryDto {
  document: FlowDocument;
  /** Every problem of the stored document; a flow with problems is saved (a draft) but does not start. */
  validation: ProcessorValidationDto[];
  /** On a save's answer. */
  applied?: AppliedChangeDto;
}

/**
 * Something of an imported NiFi flow definition that Sluice could not carry over: a whole component (a processor
 * type it does not have, a remote process group) or one property or setting of a component that was imported.
 */
export interface ImportReportEntry {
  /** The component's NiFi identifier (its versioned `identifier`). */
  nifiId: string;
  /** NiFi's type: a class name for processors and services, else the component type (`FUNNEL`, `LABEL`, `CONNECTION`, …). */
  type: string;
  name?: string;
  /** The property or setting left out, when the component itself was imported. */
  property?: string;
  reason: string;
}

/** The answer of `POST /api/flows/import`: the new flow and what could not be carried over (empty for Sluice's own export). */
export interface FlowImportDto extends FlowDto {
  format: 'sluice' | 'nifi';
  report: ImportReportEntry[];
}

/** `GET /api/flows/:id/export?format=nifi` refuses flows with components NiFi does not have; this lists them. */
export interface NifiExportRefusalEntry {
  /** The Sluice id of the processor or controller service. */
  id: string;
  name: string;
  type: string;
}

/** `dry-run` (the default) sends nothing; `live` runs the processor for real and consumes the FlowFile it used. */
export type ProcessorTestMode = 'dry-run' | 'live';

export interface ProcessorTestRequest {
  /** A FlowFile queued in front of the processor; without it and without content, the first one queued. */
  flowFileUuid?: string;
  content?: string;
  attributes?: Record<string, string>;
  mode?: ProcessorTestMode;
}

/** A request a dry run recorded instead of sending, secrets masked. */
export interface RecordedRequestDto {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body as text, when it is not a JSON array of rows (then see `rows`). */
  body: string | null;
  /** A JSON array body: its first rows and how many it has. */
  rows?: unknown[];
  rowCount?: number;
  /** What the dry run answered in place of the other system. */
  answer: { status: number; body: unknown };
}

export interface ProcessorTestResultDto {
  mode: ProcessorTestMode;
  outputs: { relationship: string; attributes: Record<string, string>; content: string }[];
  error?: string;
  logs: { level: string; message: string }[];
  /** Dry runs of processors that reach other systems: every request they would have sent, in order (the first 200). */
  requests?: RecordedRequestDto[];
  /** All requests, kept or not. */
  requestCount?: number;
  /** Row logs the dry run would have written, as the answers it was given imply. */
  rows?: { sku: string | null; status: string; message: string }[];
  /** Live runs on a queued FlowFile: it left its queue (false when the processor failed or put it back). */
  consumed?: boolean;
}

/** A bulletin as stored: the newest few per processor survive a reload. */
export interface BulletinDto {
  id: number;
  flowId: string;
  processorId: string | null;
  level: 'warn' | 'error';
  message: string;
  timestamp: string;
}

export interface ProcessorTypesResponse {
  types: ProcessorDescriptor[];
}

export interface ControllerServiceTypesResponse {
  types: ControllerServiceDescriptor[];
}

export interface QueuedFlowFileDto {
  uuid: string;
  attributes: Record<string, string>;
  size: number;
  entryDate: string;
  penalized: boolean;
  position: number;
}
export interface QueueListingDto {
  connectionId: string;
  count: number;
  bytes: number;
  flowFiles: QueuedFlowFileDto[];
}

export interface ProvenanceEventDto {
  id: number;
  flowId: string;
  flowFileUuid: string;
  eventType: 'CREATE' | 'RECEIVE' | 'FETCH' | 'SEND' | 'ATTRIBUTES_MODIFIED' | 'CONTENT_MODIFIED' | 'ROUTE' | 'DROP' | 'CLONE' | 'FORK' | 'JOIN';
  processorId: string;
  relationship: string | null;
  parentUuids: string[];
  childUuids: string[];
  details: string | null;
  timestamp: string;
  /** The run the FlowFile belonged to (its `execution.id`), when it had one. */
  executionId?: string | null;
  /** The FlowFile's attributes at that moment, credentials masked. */
  attributes?: Record<string, string>;
  size?: number;
  transitUri?: string | null;
  /** Whether its content was kept (`GET /api/provenance/events/:id/content`). */
  contentAvailable?: boolean;
}

/** What entered and left one step of an execution: each FlowFile as the step received it and as it let it go. */
export interface StepFlowFilesDto {
  processorId: string;
  inputs: ProvenanceEventDto[];
  outputs: ProvenanceEventDto[];
  /** More FlowFiles passed than the listing holds. */
  truncated: boolean;
}

/** A slice of an event's kept content; `truncated` when more follows (`nextOffset`) or it was cut when kept. */
export interface ProvenanceContentDto {
  eventId: number;
  /** The content's full size when it was recorded. */
  size: number;
  /** Bytes kept (contents above the limit keep their beginning). */
  kept: number;
  offset: number;
  /** UTF-8 text of the slice, secrets masked; `null` when the content is not text. */
  text: string | null;
  /** Bytes of this slice. */
  length: number;
  nextOffset: number | null;
  truncated: boolean;
  /** Why the content cannot be shown in full, in words ("kept the first 1 MB of 3.2 MB"). */
  note: string | null;
}

/** One HTTP exchange a writer made for a FlowFile (a chunk), as its SEND event records it. */
export interface HttpExchangeDto {
  method: string;
  url: string;
  status: number | null;
  request: string | null;
  response: string | null;
  error: string | null;
  durationMs: number | null;
}

/** A row's way through the flow: the FlowFiles that carried it, oldest first, and the writer's exchanges for it. */
export interface RowJourneyDto {
  row: RowLogDto;
  /** The FlowFile the row was logged from; null when its provenance is no longer kept. */
  flowFileUuid: string | null;
  events: ProvenanceEventDto[];
  /** The row as the logging step received it (an element of its JSON array input), when that content was kept. */
  rowContent: unknown;
  exchanges: (HttpExchangeDto & { eventId: number })[];
}

export interface ExpressionTestRequest {
  expression: string;
  attributes?: Record<string, string>;
  parameters?: Record<string, string>;
}
/** The mapping pane runs JoltTransformJSON once; text fields are used exactly as typed (`10.0` stays a double). */
export interface MappingTestRequest {
  /** Replaces the step's `Jolt Specification`. */
  spec?: unknown;
  /** The FlowFile content. */
  input: unknown;
  /** Replaces the step's `Custom Context`. */
  context?: unknown;
  /** The step's JoltTransformJSON properties. */
  properties?: Record<string, string>;
  attributes?: Record<string, string>;
  parameters?: Record<string, string>;
}
export interface MappingTestResult {
  relationship: string;
  /** The text the processor wrote (the content, or the attribute for an attribute JSON Source). */
  content: string;
  /** `content` parsed, when it is one JSON document; null otherwise. */
  output: unknown;
  attributes: Record<string, string>;
  /** Why the FlowFile went to failure (jolt.error). */
  error: string | null;
  warnings: { kind: string; operationIndex: number; path: string; message: string }[];
  warningCount: number;
}
export interface ScriptTestRequest {
  language: 'python' | 'javascript';
  script: string;
  input: string;
  attributes?: Record<string, string>;
  timeoutMs?: number;
  /** The step's ExecuteScript properties (dynamic ones become script variables). */
  properties?: Record<string, string>;
  parameters?: Record<string, string>;
  /** The step whose stored state the run starts from; nothing is written back. */
  flowId?: string;
  processorId?: string;
}

export type ExecutionTrigger = 'schedule' | 'manual' | 'outbound' | 'fetch-missing' | 'chained';
/** `queued`: admitted in cluster mode, waiting for a node to claim it. */
export type ExecutionState = 'queued' | 'start' | 'in-progress' | 'finished';
/** `partial`: some rows were written and others failed; `failed`: nothing was written (every row failed, or the run failed). */
export type ExecutionStatus = 'in-progress' | 'success' | 'partial' | 'failed' | 'empty';

export interface ExecutionDto {
  id: string;
  flowId: string;
  trigger: ExecutionTrigger;
  triggeredBy: string | null;
  state: ExecutionState;
  status: ExecutionStatus;
  counts: { read: number; written: number; failed: number };
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  /** Cluster mode: the node running (or that ran) it; null on a single node. */
  node?: string | null;
}
export interface ExecutionStepDto {
  id: string;
  executionId: string;
  processorId: string;
  name: string;
  startedAt: string;
  durationMs: number;
  inputSize: number;
  outputSize: number;
  error: string | null;
}
export interface RowLogDto {
  id: number;
  executionId: string;
  sku: string | null;
  status: 'success' | 'failed' | 'skipped';
  message: string;
  step: string | null;
  createdAt: string;
}
/** One hour of the executions chart, from the executions that finished in it. */
export interface HourlyMetricDto {
  hour: string;
  /** Rows those executions wrote and failed. */
  written: number;
  failed: number;
  executions: number;
  /** failed / (written + failed) */
  errorRate: number;
  /** Those executions by status. */
  statuses: Partial<Record<ExecutionStatus, number>>;
}
export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

/** What the server was started with (environment variables), for the settings screen; never a secret. */
export interface ServerSettingsDto {
  /** How long finished executions, their row logs and provenance are kept (SLUICE_RETENTION). */
  retentionMs: number;
  /** Login protection (SLUICE_LOGIN_MAX_FAILURES, SLUICE_LOGIN_LOCKOUT, SLUICE_LOGIN_RATE). */
  login: { maxFailures: number; lockoutMs: number; perMinute: number };
  /** Lifetime of a sign-in (SLUICE_TOKEN_TTL). */
  tokenTtl: string;
  /** Largest outbound batch in bytes (SLUICE_MAX_BODY). */
  maxBodyBytes: number;
  database: 'sqlite' | 'postgres';
  cluster: { enabled: boolean; nodeName?: string };
  apiDocs: boolean;
  allowedOrigins: string[];
  logLevel: string;
}
