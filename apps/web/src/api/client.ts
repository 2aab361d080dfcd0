import type {
  ApiKeyDto,
  BulletinDto,
  ProcessorTestRequest,
  ProcessorTestResultDto,
  CreatedApiKeyDto,
  ErrorResponse,
  ExecutionDto,
  ExecutionStepDto,
  FlowDocumentInput,
  FlowDto,
  FlowImportDto,
  FlowSummaryDto,
  HourlyMetricDto,
  LoginResponse,
  MappingTestRequest,
  MappingTestResult,
  Page,
  ProcessorTypesResponse,
  ControllerServiceTypesResponse,
  QueueListingDto,
  RowLogDto,
  ScriptTestRequest,
  ExpressionTestRequest,
  UserDto,
  FlowDocument,
  Role,
  ServerSettingsDto,
} from '@sluice/contracts';

export type { MappingTestResult } from '@sluice/contracts';

const TOKEN_KEY = 'sluice.token';
const USER_KEY = 'sluice.user';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ErrorResponse> & Record<string, unknown>,
  ) {
    super(typeof body.message === 'string' ? body.message : `Request failed with status ${status}`);
    this.name = 'ApiError';
  }
}

export const session = {
  token: (): string | null => localStorage.getItem(TOKEN_KEY),
  user: (): UserDto | null => {
    const raw = localStorage.getItem(USER_KEY);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as UserDto;
    } catch {
      return null;
    }
  },
  save(res: LoginResponse) {
    localStorage.setItem(TOKEN_KEY, res.token);
    localStorage.setItem(USER_KEY, JSON.stringify(res.user));
  },
  clear() {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(USER_KEY);
  },
  canEdit: (): boolean => {
    const role = session.user()?.role;
    return role === 'admin' || role === 'editor';
  },
};

/** Called on any 401 so the app can send the user back to /login. */
let onUnauthorized: () => void = () => {
  session.clear();
  if (!location.pathname.startsWith('/login')) location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
};
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  const token = session.token();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { message: text };
    }
  }
  if (!res.ok) {
    if (res.status === 401 && path !== '/auth/login') onUnauthorized();
    throw new ApiError(res.status, (parsed ?? {}) as ApiError['body']);
  }
  return parsed as T;
}

const qs = (params: Record<string, string | number | undefined | null>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export interface ProcessorStatusDto {
  id: string;
  state: string;
  activeTasks: number;
  valid: boolean;
}
export interface FlowStatusDto {
  state: string;
  processors: ProcessorStatusDto[];
  connections: { id: string; count: number; bytes: number; inFlight: number; fill: number }[];
}
export type TestOutput = ProcessorTestResultDto['outputs'][number];
export type ProcessorTestResult = ProcessorTestResultDto;
export interface ScriptTestResult {
  /** Content of the FlowFile the script transferred; null when it removed it or transferred none. */
  output: string | null;
  attributes: Record<string, string>;
  /** null when the FlowFile was removed or never transferred. */
  relationship: string | null;
  logs: unknown[];
  durationMs: number;
  created: { output: string; attributes: Record<string, string>; relationship: string | null }[];
  /** The step's state after the run, as the flow would store it (the pane stores nothing). */
  state?: { local: Record<string, string>; cluster: Record<string, string> };
  error?: { message: string; traceback?: string; kind: 'exception' | 'timeout' | 'memory' | 'session' };
}
export interface TemplateDto {
  id: string;
  name: string;
  description: string;
  kind: 'stock' | 'image';
  direction: 'inbound' | 'outbound';
  /** The template's flow parameters with their defaults. */
  parameters: Record<string, string>;
  /** Which of them are secrets (stored sealed, shown masked). */
  sensitiveParameters: string[];
}
/** One hour: rows written and failed, distinct executions, failed / (written + failed), executions started by status. */
export type HourlyMetric = HourlyMetricDto;

export const api = {
  login: (username: string, password: string) => request<LoginResponse>('POST', '/auth/login', { username, password }),
  me: () => request<UserDto>('GET', '/auth/me'),
  logout: () => request<void>('POST', '/auth/logout'),
  apiKeys: (flowId: string) => request<ApiKeyDto[]>('GET', `/flows/${flowId}/api-keys`),
  createApiKey: (flowId: string, name: string) => request<CreatedApiKeyDto>('POST', `/flows/${flowId}/api-keys`, { name }),
  revokeApiKey: (flowId: string, keyId: string) => request<void>('DELETE', `/flows/${flowId}/api-keys/${keyId}`),
  allApiKeys: () => request<ApiKeyDto[]>('GET', '/api-keys'),
  users: () => request<UserDto[]>('GET', '/users'),
  createUser: (username: string, password: string, role: Role) => request<UserDto>('POST', '/users', { username, password, role }),
  updateUser: (id: string, patch: { role?: Role; password?: string }) => request<UserDto>('PATCH', `/users/${id}`, patch),
  deleteUser: (id: string) => request<void>('DELETE', `/users/${id}`),
  settings: () => request<ServerSettingsDto>('GET', '/settings'),
  processorTypes: () => request<ProcessorTypesResponse>('GET', '/processor-types'),
  controllerServiceTypes: () => request<ControllerServiceTypesResponse>('GET', '/controller-service-types'),

  listFlows: () => request<FlowSummaryDto[]>('GET', '/flows'),
  createFlow: (doc: FlowDocumentInput) => request<FlowDto>('POST', '/flows', doc),
  getFlow: (id: string) => request<FlowDto>('GET', `/flows/${id}`),
  saveFlow: (id: string, version: number, document: FlowDocument) => request<FlowDto>('PUT', `/flows/${id}`, { version, document }),
  renameFlow: (id: string, name: string) => request<FlowDto>('PATCH', `/flows/${id}`, { name }),
  deleteFlow: (id: string) => request<void>('DELETE', `/flows/${id}`),
  duplicateFlow: (id: string) => request<FlowDto>('POST', `/flows/${id}/duplicate`),
  exportFlow: (id: string) => request<FlowDocument>('GET', `/flows/${id}/export`),
  exportNifiFlow: (id: string) => request<unknown>('GET', `/flows/${id}/export?format=nifi`),
  importFlow: (doc: unknown) => request<FlowImportDto>('POST', '/flows/import', doc),
  templates: () => request<TemplateDto[]>('GET', '/templates'),
  fromTemplate: (templateId: string, name?: string, parameters?: Record<string, string>) =>
    request<FlowDto>('POST', '/flows/from-template', { templateId, name, parameters }),

  start: (id: string) => request<FlowStatusDto>('POST', `/flows/${id}/start`),
  stop: (id: string) => request<FlowStatusDto>('POST', `/flows/${id}/stop`),
  startProcessor: (id: string, pid: string) => request<FlowStatusDto>('POST', `/flows/${id}/processors/${pid}/start`),
  stopProcessor: (id: string, pid: string) => request<FlowStatusDto>('POST', `/flows/${id}/processors/${pid}/stop`),
  runOnce: (id: string, pid: string) => request<FlowStatusDto>('POST', `/flows/${id}/processors/${pid}/run-once`),
  status: (id: string) => request<FlowStatusDto>('GET', `/flows/${id}/status`),
  queue: (id: string, cid: string) => request<QueueListingDto>('GET', `/flows/${id}/connections/${cid}/queue`),
  queuedContent: (id: string, cid: string, uuid: string) =>
    request<{ uuid: string; content: string }>('GET', `/flows/${id}/connections/${cid}/queue/${uuid}/content`),
  emptyQueue: (id: string, cid: string) => request<unknown>('DELETE', `/flows/${id}/connections/${cid}/queue`),
  testProcessor: (id: string, pid: string, body: ProcessorTestRequest) => request<ProcessorTestResult>('POST', `/flows/${id}/processors/${pid}/test`, body),
  bulletins: (id: string) => request<BulletinDto[]>('GET', `/flows/${id}/bulletins`),

  testExpression: (body: ExpressionTestRequest) => request<{ result: string }>('POST', '/test/expression', body),
  testMapping: (body: MappingTestRequest) => request<MappingTestResult>('POST', '/test/mapping', body),
  testScript: (body: ScriptTestRequest) => request<ScriptTestResult>('POST', '/test/script', body),

  trigger: (id: string, params: Record<string, string>) => request<{ executionId: string }>('POST', `/flows/${id}/trigger${qs(params)}`),
  fetchMissing: (id: string) => request<{ executionId: string | null; skus: string[] }>('POST', `/flows/${id}/fetch-missing`),
  executions: (params: { flowId?: string; status?: string; from?: string; to?: string; sku?: string; offset?: number; limit?: number }) =>
    request<Page<ExecutionDto>>('GET', `/executions${qs(params)}`),
  execution: (id: string) => request<ExecutionDto>('GET', `/executions/${id}`),
  executionSteps: (id: string) => request<ExecutionStepDto[]>('GET', `/executions/${id}/steps`),
  executionRows: (id: string, params: { status?: string; sku?: string; offset?: number; limit?: number }) =>
    request<Page<RowLogDto>>('GET', `/executions/${id}/rows${qs(params)}`),
  hourlyMetrics: (flowId: string, hours = 48) => request<HourlyMetric[]>('GET', `/executions/hourly${qs({ flowId, hours })}`),
};

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.body.errors?.map((f) => `${f.field}: ${f.message}`).join('; ');
    return fields ? `${e.message} (${fields})` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** A refusal as one sentence: the server's message and each field reason it does not already say, once each. */
export function refusalText(e: unknown): string {
  if (!(e instanceof ApiError)) return errorText(e);
  const extra = [...new Set((e.body.errors ?? []).map((f) => f.message))].filter((m) => !e.message.includes(m));
  return extra.length ? `${e.message}: ${extra.join('; ')}` : e.message;
}
