import { propertyHandle, type DryRunResponse, type FlowFile, type HttpRequest, type ProcessContext, type ProcessSession, type PropertyDescriptor, type RowProblem } from '@sluice/flow-api';
import { DRY_RUN_TOKEN } from './dry-run.util.js';
import { exchangeDetails, type HttpExchange } from './http-exchange.util.js';
import { IntegratorStepError } from './integrator-errors.js';
import { eachJsonElement } from './json-slices.util.js';
import { omnitronRecipeFor, OmnitronClient } from './omnitron-client.js';
import { retryPolicy } from './retry-properties.js';

const DOMAIN = propertyHandle({
  name: 'Omnitron Domain URL', displayName: 'Domain URL', description: "Omnitron's domain URL; by default the one the login step used.",
  type: 'string', default: '${omnitron.domain}', required: true, expressionScope: 'flowfile',
});
const USERNAME = propertyHandle({
  name: 'Omnitron Username', displayName: 'Omnitron Username', description: 'Used to log in again after a 401. Empty: the credentials the login step cached.',
  type: 'string', expressionScope: 'environment',
});
const PASSWORD = propertyHandle({ name: 'Omnitron Password', displayName: 'Omnitron Password', description: 'Password for that user.', type: 'string', sensitive: true, editor: 'password' });

/** Domain and credential properties both Omnitron writers share. */
export function omnitronProperties(group: string): PropertyDescriptor[] {
  return [DOMAIN, USERNAME, PASSWORD].map((p) => ({ ...p, group }));
}

/** An Omnitron client for one FlowFile: the login step's token, re-login with the configured or cached credentials. */
export function omnitronClientFor(
  ctx: ProcessContext,
  attributes: Readonly<Record<string, string>>,
  flowFile: Parameters<ProcessContext['evaluateExpression']>[1],
  observe?: (exchange: HttpExchange) => void,
): OmnitronClient {
  let domain: string;
  try {
    domain = ctx.get(DOMAIN, flowFile).trim().replace(/\/+$/, '');
  } catch (e) {
    throw new IntegratorStepError(`Omnitron Domain URL: ${(e as Error).message}`);
  }
  if (!/^https?:\/\/[^/]/i.test(domain)) throw new IntegratorStepError(`Omnitron Domain URL '${domain}' is not an http(s) URL (is omnitron.domain set by the login step?)`);
  const username = ctx.get(USERNAME) || undefined;
  const password = ctx.get(PASSWORD) || undefined;
  const recipe = omnitronRecipeFor(ctx.services, domain, username, password, attributes['omnitron.auth.key'], null);
  return new OmnitronClient(ctx.services, { domain, token: attributes['token.omnitron'], recipe, policy: retryPolicy(ctx), ...(observe ? { observe } : {}) });
}

/**
 * The writers' dry-run answers: a login gets a token, a product lookup one placeholder product named for what it
 * stands for, and a write `{}` (every row taken), so the preview shows every request the rows lead to.
 */
export function omnitronDryRunResponse(request: HttpRequest): DryRunResponse {
  const url = new URL(request.url);
  if (/\/api\/v1\/auth\/login\/?$/.test(url.pathname)) return { status: 200, body: { key: DRY_RUN_TOKEN } };
  const baseCode = url.searchParams.get('base_code');
  if (request.method === 'GET' && baseCode !== null) return { status: 200, body: { results: [{ sku: `<each product with base code ${baseCode}>` }], next: null } };
  return { status: 200, body: {} };
}

/** The Integrator's row-log wording for an Omnitron rejection. */
export function omnitronRowMessage(error: string): string {
  return /not found/i.test(error) && !/omnitron/i.test(error) ? `${error} in Omnitron` : error;
}

/** A writer's reason for refusing a row, with the field it names first (`missing product_sku`, `images[0] has no url`). */
export function rowProblem(error: string): RowProblem {
  const field = /^(?:missing )?([a-z_]+)/.exec(error)?.[1];
  return { field: field && field !== 'row' && field !== 'item' ? field : null, message: error };
}

/**
 * The FlowFile content as an array of rows; a single object counts as one row. A large batch is parsed a slice at
 * a time, so it does not hold the event loop.
 */
export async function readRowArray(session: ProcessSession, flowFile: FlowFile): Promise<unknown[]> {
  const rows: unknown[] = [];
  await eachRow(session, flowFile, (row) => void rows.push(row));
  return rows;
}

/**
 * Hands the FlowFile's rows to `each` in order, a slice at a time for a large batch, so a writer can keep only what
 * it sends of each row. Content that is not rows throws, possibly after earlier rows reached `each`: a writer acts on
 * them once this resolves.
 */
export async function eachRow(session: ProcessSession, flowFile: FlowFile, each: (row: unknown, index: number) => void): Promise<void> {
  const bytes = await session.read(flowFile);
  let index = 0;
  const take = (rows: readonly unknown[]) => {
    for (const row of rows) each(row, index++);
  };
  let whole: { value: unknown } | null;
  try {
    whole = await eachJsonElement(bytes, take);
  } catch (e) {
    throw new IntegratorStepError(`content is not JSON: ${(e as Error).message}`);
  }
  if (whole === null) return;
  if (Array.isArray(whole.value)) take(whole.value);
  else if (whole.value !== null && typeof whole.value === 'object') take([whole.value]);
  else throw new IntegratorStepError('content must be a JSON array of rows');
}

/** Runs tasks with at most `limit` in flight, in order of start. */
export async function runPooled<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * Records each of a writer's requests and its answer as a SEND event of the FlowFile being written, the details
 * written out at the commit: the next chunk goes out without waiting for them.
 */
export function recordExchanges(session: ProcessSession, current: () => FlowFile): (exchange: HttpExchange) => void {
  return (x) => session.provenance(current(), 'SEND', x.url, () => exchangeDetails(x));
}
