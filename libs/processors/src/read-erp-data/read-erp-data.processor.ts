import { readJsonPath } from '@sluice/expression';
import { handleList, propertyHandles, defineProcessor, REL_FAILURE, REL_SUCCESS, type FlowFile, type ProcessContext, type PropertyDescriptor } from '@sluice/flow-api';
import { formatInZone, parseInstant } from '../integrator-shared/erp-date.util.js';
import { errorReason, responseJson, sendWithRetry, truncate, withQuery, type RetryPolicy } from '../integrator-shared/http-call.util.js';
import { erpCredential, recallRecipe, type ErpLoginRecipe } from '../integrator-shared/integrator-auth.util.js';
import { documentAt } from '../integrator-shared/dry-run.util.js';
import { executionLog } from '../integrator-shared/integrator-services.js';
import { IntegratorStepError } from '../integrator-shared/integrator-errors.js';
import { retriesTransientFailures, retryLater, retryLaterProperties, retryPolicy, retryProperties } from '../integrator-shared/retry-properties.js';

const READ = 'Read Data From ERP';
const PAGING = 'Pagination';
const paging = (...styles: string[]) => [{ property: 'Pagination', values: styles }];

/** The time zone of last.request, also when the property is left blank. */
const ZONE = 'UTC';
/** The parameter a next-page token is sent in, also when the property is left blank. */
const NEXT_TOKEN = 'cursor';

const PROPS = propertyHandles([
  {
    name: 'Endpoint URL', displayName: 'Endpoint URL',
    description: 'URL for reading data from the ERP. NiFi Expression Language over the FlowFile attributes (http.query.string, http.query.param.*, last.request, token.erp, ...) builds it at run time.',
    type: 'string', editor: 'el', required: true, expressionScope: 'flowfile', group: READ, placeholder: 'https://erp.example.com/api/stock',
  },
  {
    name: 'HTTP Method', displayName: 'HTTP Method', description: 'GET sends parameters in the query string; POST sends them as a JSON body.', type: 'enum', default: 'GET', group: READ,
    allowableValues: [{ value: 'GET', displayName: 'GET' }, { value: 'POST', displayName: 'POST' }],
  },
  { name: 'Extra Headers', displayName: 'Add Extra Headers as Dict Format', description: 'Additional headers for the ERP request, as a JSON object.', type: 'dict', editor: 'keyValue', expressionScope: 'flowfile', group: READ },
  {
    name: 'Extra Params', displayName: 'Extra Params', description: 'Additional parameters as a JSON object: the query string on GET, the JSON body on POST.',
    type: 'dict', editor: 'keyValue', expressionScope: 'flowfile', group: READ,
  },
  {
    name: 'SKU Key', displayName: 'SKU Key', description: 'Parameter that carries a SKU query; its value comes from the attribute http.query.param.<key> when that is set. Empty: never added.',
    type: 'string', group: READ, placeholder: 'sku',
  },
  {
    name: 'Modified Date Key', displayName: 'Modified Date Key',
    description: 'Parameter that carries the date of the last successful request (e.g. modified_date__gt). Its value is http.query.param.<key> when set, else last.request in the time zone below. Empty: never added.',
    type: 'string', group: READ, placeholder: 'modified_date__gt',
  },
  { name: 'Stock List Key', displayName: 'Stock List Key', description: 'Parameter that carries the stock list; its value is http.query.param.<key> when set, else Stock List ID. Empty: never added.', type: 'string', group: READ },
  { name: 'Stock List ID', displayName: 'Stock List ID', description: 'Stock list value sent with the Stock List Key.', type: 'string', expressionScope: 'flowfile', dependsOn: [{ property: 'Stock List Key' }], group: READ },
  {
    name: 'Timezone', displayName: 'Timezone Settings', description: "Time zone in which last.request is written for the Modified Date Key, as yyyy-MM-dd'T'HH:mm:ss.SSSSSS.",
    type: 'string', default: ZONE, validators: [{ kind: 'timeZone' }], group: READ,
  },
  {
    name: 'Results Path', displayName: 'Results JSON Path', description: 'Where the rows are in each reply. Empty: the reply itself when it is an array, else its "results" array.',
    type: 'string', group: READ, placeholder: '$.results',
  },
  {
    name: 'Pagination', displayName: 'Pagination', description: 'How to read every page of the answer; all pages become one FlowFile.', type: 'enum', default: 'none', group: PAGING,
    allowableValues: [
      { value: 'none', displayName: 'None', description: 'One request.' },
      { value: 'offset', displayName: 'Offset', description: 'offset/limit parameters, advancing by the rows received.' },
      { value: 'seek', displayName: 'Seek', description: 'The marker of the last row is sent to get the rows after it.' },
      { value: 'next', displayName: 'Next field', description: 'Each reply names the next page (a URL or a token).' },
    ],
  },
  { name: 'Page Size', displayName: 'Page Size', description: 'Rows asked for per page.', type: 'integer', default: '100', validators: [{ kind: 'range', min: 1, max: 100000 }], dependsOn: paging('offset', 'seek', 'next'), group: PAGING },
  { name: 'Limit Parameter', displayName: 'Limit Parameter', description: 'Parameter carrying the page size; empty to send none.', type: 'string', default: 'limit', dependsOn: paging('offset', 'seek', 'next'), group: PAGING },
  { name: 'Offset Parameter', displayName: 'Offset Parameter', description: 'Parameter carrying the offset.', type: 'string', default: 'offset', required: true, dependsOn: paging('offset'), group: PAGING },
  { name: 'Offset Start', displayName: 'First Offset', description: 'Offset of the first page (0 or 1 for most ERPs).', type: 'integer', default: '0', dependsOn: paging('offset'), group: PAGING },
  { name: 'Seek Marker Field', displayName: 'Marker Field', description: 'JSON path, within a row, of the marker of the last row (its id).', type: 'string', default: 'id', required: true, dependsOn: paging('seek'), group: PAGING },
  { name: 'Seek Parameter', displayName: 'Marker Parameter', description: 'Parameter carrying the marker of the last row.', type: 'string', default: 'after', required: true, dependsOn: paging('seek'), group: PAGING },
  { name: 'Next Field Path', displayName: 'Next Field Path', description: 'JSON path of the next page in each reply; null or empty ends the read.', type: 'string', default: '$.next', required: true, dependsOn: paging('next'), group: PAGING },
  {
    name: 'Next Token Parameter', displayName: 'Next Token Parameter', description: 'When the next field is a token rather than a URL, the parameter it is sent in.',
    type: 'string', default: NEXT_TOKEN, dependsOn: paging('next'), group: PAGING,
  },
  { name: 'Stop On Short Page', displayName: 'Stop On Short Page', description: 'Stop when a page has fewer rows than the page size (an empty page always stops).', type: 'boolean', default: 'true', dependsOn: paging('offset', 'seek'), group: PAGING },
  { name: 'Max Pages', displayName: 'Max Pages', description: 'Safety limit on pages per run; reaching it stops the read and sets erp.max.pages.reached.', type: 'integer', default: '1000', validators: [{ kind: 'range', min: 1 }], group: PAGING },
  {
    name: 'When Nothing Is Read', displayName: 'When Nothing Is Read',
    description: "An empty read ends the run (its execution is 'empty', nothing is written) or passes an empty JSON array to the next step.",
    type: 'enum', default: 'end the run', required: true,
    allowableValues: [{ value: 'end the run', displayName: 'End the run' }, { value: 'pass on', displayName: 'Pass an empty array on' }], group: READ,
  },
  ...retryProperties(READ),
  ...retryLaterProperties(READ),
]);

interface Page {
  url: string;
  params: Record<string, string>;
}

/**
 * The Integrator's Read Data From ERP step: requests every page of the ERP's answer and emits ONE
 * FlowFile holding all rows as a JSON array.
 */
export const ReadErpData = defineProcessor({
  descriptor: {
    type: 'ReadErpData',
    version: 1,
    displayName: 'Read Data From ERP',
    description: 'Reads rows from the ERP (dynamic URL in Expression Language, GET or POST, offset/seek/next-field pagination, retries and re-login) into one JSON array FlowFile.',
    category: 'integrator',
    tags: ['integrator', 'erp', 'http', 'pagination', 'inbound'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL_SUCCESS.name, description: 'One FlowFile per run with every row read, as a JSON array.' },
      {
        ...REL_FAILURE,
        description: 'The read failed for good (a 4xx other than 429, a reply without rows, a bad setting), or for a transient reason with Transient Failures set to failure; erp.error holds the reason.',
      },
    ],
    inputRequirement: 'required',
    sideEffects: { systems: ['the ERP'], writes: false },
    readsAttributes: [
      { name: 'http.query.param.*', description: 'Trigger parameters (SKU, modified date, stock list).' },
      { name: 'last.request', description: 'Date of the last successful request, for the Modified Date Key.' },
      { name: 'erp.auth.header.name', description: 'Header carrying the ERP credential (from the login step).' },
      { name: 'erp.auth.header.value', description: 'Its value.' },
      { name: 'erp.auth.key', description: 'Where the login step cached how to log in again after a 401.' },
    ],
    writesAttributes: [
      { name: 'erp.rows.read', description: 'Rows read over all pages.' },
      { name: 'erp.pages.read', description: 'Pages requested.' },
      { name: 'erp.request.url', description: 'URL of the first request.' },
      { name: 'erp.max.pages.reached', description: 'Set to true when Max Pages stopped the read.' },
      { name: 'erp.error', error: true, description: 'Why the read failed (or, while it waits to try again, why the last try failed).' },
      { name: 'erp.retry.count', description: 'Tries so far that ended in a transient failure (ERP unreachable, timed out, 429 or 5xx).' },
      { name: 'erp.http.status', description: 'HTTP status of a failed request.' },
    ],
  },

  // An empty page where the rows are expected: the preview shows the first request; later ones depend on the ERP's answers.
  dryRunResponse(_request, config) {
    const path = config['Results Path']?.trim();
    return { status: 200, body: path ? documentAt(path, []) : [] };
  },

  async onTrigger(ctx, session) {
    let flowFile = session.get();
    if (!flowFile) return;
    try {
      const result = await readAll(ctx, flowFile);
      if (result.rows.length === 0 && ctx.get(PROPS['When Nothing Is Read']) !== 'pass on') {
        ctx.log.info(`the ERP returned no rows from ${result.attributes['erp.request.url'] ?? 'the endpoint'}; the run ends here`);
        session.remove(flowFile);
        return;
      }
      flowFile = session.removeAllAttributes(flowFile, ['erp.error', 'erp.http.status', 'erp.max.pages.reached', 'erp.retry.count']);
      flowFile = session.write(flowFile, JSON.stringify(result.rows));
      session.transfer(session.putAllAttributes(flowFile, { ...result.attributes, 'mime.type': 'application/json' }), REL_SUCCESS);
    } catch (e) {
      if (!(e instanceof IntegratorStepError)) throw e;
      if (e.transient && retriesTransientFailures(ctx)) {
        // The whole read starts over on the next try; last.request moves only when the run succeeds, so no row the
        // ERP changed in the meantime is skipped.
        retryLater(ctx, session, flowFile, 'erp', e.message);
        return;
      }
      ctx.log.error(`Read Data From ERP failed: ${e.message}`);
      const attrs: Record<string, string> = { 'erp.error': e.message };
      if (e.status !== undefined) attrs['erp.http.status'] = String(e.status);
      session.transfer(session.putAllAttributes(flowFile, attrs), REL_FAILURE);
    }
  },
});

async function readAll(ctx: ProcessContext, flowFile: FlowFile) {
  const attrs = flowFile.attributes;
  const policy = retryPolicy(ctx);
  const method = ctx.get(PROPS['HTTP Method']);
  const style = ctx.get(PROPS['Pagination']);
  const pageSize = ctx.get(PROPS['Page Size']);
  const limitParam = ctx.get(PROPS['Limit Parameter']);
  const maxPages = ctx.get(PROPS['Max Pages']);
  const stopOnShort = ctx.get(PROPS['Stop On Short Page']);
  const resultsPath = ctx.get(PROPS['Results Path']) ?? '';

  // A refreshed ERP token replaces the attribute in every expression (the seed's URL embeds token.erp).
  const refreshed: Record<string, string> = {};
  const evaluate = (handle: PropertyDescriptor) => {
    try {
      return ctx.property(handle).evaluate(flowFile, refreshed).asString() ?? '';
    } catch (e) {
      throw new IntegratorStepError(`${handle.name}: ${(e as Error).message}`);
    }
  };
  const dict = (handle: PropertyDescriptor): Record<string, string> => {
    const name = handle.name;
    const text = evaluate(handle);
    if (text.trim() === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new IntegratorStepError(`${name} is not a JSON object: ${(e as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new IntegratorStepError(`${name} must be a JSON object such as {"key": "value"}`);
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  };

  const headers = (): Record<string, string> => {
    const h: Record<string, string> = { accept: 'application/json', ...dict(PROPS['Extra Headers']) };
    const name = refreshed['erp.auth.header.name'] ?? attrs['erp.auth.header.name'];
    const value = refreshed['erp.auth.header.value'] ?? attrs['erp.auth.header.value'];
    if (name && value) h[name] = value;
    if (method === 'POST') h['content-type'] = 'application/json';
    return h;
  };
  const baseParams = (): Record<string, string> => ({ ...dict(PROPS['Extra Params']), ...triggerParams(ctx, attrs, evaluate) });

  let recipe: ErpLoginRecipe | null | undefined;
  const relogin = async () => {
    if (recipe === undefined) recipe = attrs['erp.auth.key'] ? recallRecipe<ErpLoginRecipe>(ctx.services, attrs['erp.auth.key']) : null;
    if (!recipe) return false;
    const credential = await erpCredential(ctx.services, recipe, policy, true);
    if (!credential) return false;
    refreshed['token.erp'] = credential.token;
    refreshed['erp.auth.header.name'] = credential.headerName;
    refreshed['erp.auth.header.value'] = credential.headerValue;
    return true;
  };

  const rows: unknown[] = [];
  let page: Page = { url: evaluate(PROPS['Endpoint URL']), params: baseParams() };
  let endpoint = page.url;
  const firstUrl = endpoint;
  let offset = ctx.get(PROPS['Offset Start']);
  const paramsFor = (p: Page): Record<string, string> => {
    const extra: Record<string, string> = {};
    if (style !== 'none' && limitParam) extra[limitParam] = String(pageSize);
    if (style === 'offset') extra[ctx.get(PROPS['Offset Parameter'])] = String(offset);
    return { ...p.params, ...extra };
  };
  let pages = 0;
  let reloggedIn = false;
  let maxReached = false;

  for (;;) {
    const params = paramsFor(page);
    let response = await send(ctx, policy, method, page.url, params, headers());
    if (response.status === 401 && !reloggedIn && (await relogin())) {
      reloggedIn = true;
      // The endpoint URL may embed the token (the seed's dynamic URL does): evaluate it again.
      if (page.url === endpoint) {
        endpoint = evaluate(PROPS['Endpoint URL']);
        page = { ...page, url: endpoint };
      }
      response = await send(ctx, policy, method, page.url, paramsFor(page), headers());
    }
    pages++;
    if (response.status < 200 || response.status >= 300) {
      throw new IntegratorStepError(`ERP answered ${response.status} for page ${pages}: ${errorReason(response)}`, response.status);
    }
    const body = responseJson(response, page.url);
    const pageRows = extractRows(body, resultsPath);
    for (const r of pageRows) rows.push(r);
    // A running total: a read that starts over after a retry replaces it instead of adding to it.
    executionLog(ctx.services).progress(flowFile, { read: rows.length });

    let next: Page | null = null;
    if (style === 'offset') {
      if (pageRows.length > 0 && !(stopOnShort && pageRows.length < pageSize)) {
        offset += pageRows.length;
        next = page;
      }
    } else if (style === 'seek') {
      if (pageRows.length > 0 && !(stopOnShort && pageRows.length < pageSize)) {
        const field = ctx.get(PROPS['Seek Marker Field']);
        const marker = readJsonPath(pageRows[pageRows.length - 1], field);
        if (marker === undefined || marker === null || marker === '') throw new IntegratorStepError(`the last row of page ${pages} has no marker at '${field}'`);
        next = { url: page.url, params: { ...page.params, [ctx.get(PROPS['Seek Parameter'])]: String(marker) } };
      }
    } else if (style === 'next') {
      const path = ctx.get(PROPS['Next Field Path']);
      const value = readJsonPath(body, path);
      if (value !== undefined && value !== null && value !== '' && pageRows.length > 0) {
        const text = String(value);
        if (/^https?:\/\//i.test(text)) next = { url: text, params: {} };
        else if (text.startsWith('/')) next = { url: new URL(text, page.url).toString(), params: {} };
        else next = { url: page.url, params: { ...page.params, [ctx.get(PROPS['Next Token Parameter']) || NEXT_TOKEN]: text } };
      }
    }
    if (!next) break;
    if (pages >= maxPages) {
      maxReached = true;
      ctx.log.warn(`Read Data From ERP stopped at Max Pages (${maxPages}) with more pages left`);
      break;
    }
    page = next;
  }

  const attributes: Record<string, string> = {
    'erp.rows.read': String(rows.length),
    'erp.pages.read': String(pages),
    'erp.request.url': firstUrl,
    ...refreshed,
  };
  if (maxReached) attributes['erp.max.pages.reached'] = 'true';
  return { rows, attributes };
}

function triggerParams(ctx: ProcessContext, attrs: Readonly<Record<string, string>>, evaluate: (handle: PropertyDescriptor) => string): Record<string, string> {
  const out: Record<string, string> = {};
  const query = (key: string) => {
    const v = attrs[`http.query.param.${key}`];
    return v === undefined || v === '' ? undefined : v;
  };
  const skuKey = ctx.get(PROPS['SKU Key']);
  const sku = skuKey ? query(skuKey) : undefined;
  if (skuKey && sku !== undefined) out[skuKey] = sku;
  const dateKey = ctx.get(PROPS['Modified Date Key']);
  if (dateKey) {
    const explicit = query(dateKey);
    if (explicit !== undefined) out[dateKey] = explicit;
    else if (sku === undefined && attrs['last.request']) {
      const instant = parseInstant(attrs['last.request']);
      if (!instant) throw new IntegratorStepError(`last.request '${attrs['last.request']}' is not a date`);
      out[dateKey] = formatInZone(instant, ctx.get(PROPS['Timezone']) || ZONE);
    }
  }
  const listKey = ctx.get(PROPS['Stock List Key']);
  if (listKey) {
    const list = query(listKey) ?? evaluate(PROPS['Stock List ID']);
    if (list) out[listKey] = list;
  }
  return out;
}

async function send(ctx: ProcessContext, policy: RetryPolicy, method: string, url: string, params: Record<string, string>, headers: Record<string, string>) {
  return method === 'POST'
    ? sendWithRetry(ctx.services, { method, url, headers, body: JSON.stringify(params) }, policy)
    : sendWithRetry(ctx.services, { method, url: withQuery(url, params), headers }, policy);
}

function extractRows(body: unknown, path: string): unknown[] {
  if (path.trim() !== '') {
    const rows = readJsonPath(body, path);
    if (!Array.isArray(rows)) throw new IntegratorStepError(`the ERP reply has no row array at '${path}': ${truncate(JSON.stringify(body) ?? 'null', 200)}`);
    return rows;
  }
  if (Array.isArray(body)) return body;
  const results = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['results'] : undefined;
  if (Array.isArray(results)) return results;
  throw new IntegratorStepError(`the ERP reply is neither a row array nor an object with a "results" array: ${truncate(JSON.stringify(body) ?? 'null', 200)}`);
}
