import {
  describeProperty, handleList, propertyHandles,
  CoreAttributes, defineProcessor, fromUtf8, HttpTransportError,
  type FlowFile, type HttpResponse, type ProcessContext, type ProcessSession, type PropertyConfiguration,
  type PropertyHandle, type PropertyValues, type ValidationResult,
} from '@sluice/flow-api';
import { ExpressionError } from '@sluice/expression';
import { OAUTH2_PROVIDER_API, type OAuth2AccessTokenProvider } from '../http-shared/oauth2-access-token-provider.service.js';
import { SSL_CONTEXT_API, type SslContextProvider } from '../http-shared/http-listener.util.js';
import { exchangeDetails } from '../integrator-shared/http-exchange.util.js';
import { checkUserRegex, compileUserRegex } from '../text-shared/user-regex.util.js';
import {
  attributeHeaders, basicAuthorization, BODY_METHODS, decodeBody, EXCEPTION_CLASS, EXCEPTION_MESSAGE, exceptionClass, fileNameFromUrl,
  formPartName, headerAttributes, multipartBody, REQUEST_DURATION, REQUEST_URL, RESPONSE_BODY, RESPONSE_URL, STATUS_CODE, STATUS_MESSAGE,
  TRANSACTION_ID,
} from './invoke-http-request.util.js';

const P = {
  method: 'HTTP Method', url: 'HTTP URL', http2Disabled: 'HTTP/2 Disabled', ssl: 'SSL Context Service',
  connectTimeout: 'Connection Timeout', readTimeout: 'Socket Read Timeout', writeTimeout: 'Socket Write Timeout',
  idleTimeout: 'Socket Idle Timeout', idleConnections: 'Socket Idle Connections', proxy: 'Proxy Configuration Service',
  oauth2: 'Request OAuth2 Access Token Provider', oauth2Refresh: 'OAuth2 Access Token Refresh Strategy',
  username: 'Request Username', password: 'Request Password', digest: 'Request Digest Authentication Enabled',
  penalizeNoRetry: 'Request Failure Penalization Enabled', bodyEnabled: 'Request Body Enabled',
  formName: 'Request Multipart Form-Data Name', formFilename: 'Request Multipart Form-Data Filename Enabled',
  chunked: 'Request Chunked Transfer-Encoding Enabled', contentEncoding: 'Request Content-Encoding', contentType: 'Request Content-Type',
  dateHeader: 'Request Date Header Enabled', headerPattern: 'Request Header Attributes Pattern', userAgent: 'Request User-Agent',
  bodyAttribute: 'Response Body Attribute Name', bodyAttributeSize: 'Response Body Attribute Size', bodyIgnored: 'Response Body Ignored',
  cacheEnabled: 'Response Cache Enabled', cacheSize: 'Response Cache Size', cookies: 'Response Cookie Strategy',
  generationRequired: 'Response Generation Required', naming: 'Response FlowFile Naming Strategy',
  headersToRequest: 'Response Header Request Attributes Enabled', headersPrefix: 'Response Header Request Attributes Prefix',
  redirects: 'Response Redirects Enabled', maxResponse: 'Response Body Maximum Size',
} as const;
export { P as INVOKE_HTTP_PROPERTIES };

const REL = { original: 'Original', response: 'Response', retry: 'Retry', noRetry: 'No Retry', failure: 'Failure' } as const;
const BODY_DEPENDENCY = [{ property: P.method, values: BODY_METHODS }];
const bools = (...values: string[]) => values.map((v) => ({ value: v, displayName: v }));
const TRUE_FALSE = bools('true', 'false');
const TITLE_TRUE_FALSE = bools('True', 'False');
const isTrue = (v: string | undefined) => v?.toLowerCase() === 'true';

const prop = describeProperty;
const NO_SERVICES = 'Sluice has no controller service of this kind yet, so setting it is refused.';

const PROPS = propertyHandles([
  prop(P.method, 'HTTP request method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, or any other). Only POST, PUT and PATCH send a body.', 'string', { required: true, default: 'GET', expressionScope: 'flowfile' }),
  prop(P.url, 'Remote URL with an http or https scheme; any encoding of the URL is up to you.', 'string', { required: true, expressionScope: 'flowfile', editor: 'el' }),
  prop(P.http2Disabled, 'Sluice speaks HTTP/1.1 only, so both values behave the same.', 'enum', { required: true, default: 'False', allowableValues: TITLE_TRUE_FALSE }),
  prop(P.ssl, "Trusted CAs (truststore) and the client certificate (keystore) for https URLs; without it, HTTPS trusts the system's CAs.", 'string', { identifiesControllerService: SSL_CONTEXT_API }),
  prop(P.connectTimeout, 'Longest wait for the connection to the URL.', 'duration', { required: true, default: '5 secs' }),
  prop(P.readTimeout, 'Longest wait for the response headers, and between two reads of the body.', 'duration', { required: true, default: '15 secs' }),
  prop(P.writeTimeout, 'Longest wait while sending the request; Sluice bounds the upload with the read timeout, which starts once the request is sent.', 'duration', { required: true, default: '15 secs' }),
  prop(P.idleTimeout, "How long idle connections stay open; Sluice's connection pool is shared by the server and keeps its own.", 'duration', { required: true, default: '5 mins' }),
  prop(P.idleConnections, "Most idle connections; Sluice's shared pool keeps its own limit.", 'integer', { required: true, default: '5', validators: [{ kind: 'range', min: 0 }] }),
  prop(P.proxy, `Proxy for the requests. ${NO_SERVICES}`, 'string'),
  prop(P.oauth2, 'An OAuth2 access token provider whose token is sent as Authorization: Bearer.', 'string', { identifiesControllerService: OAUTH2_PROVIDER_API }),
  prop(P.oauth2Refresh, 'ON_TOKEN_EXPIRATION: refreshed before it expires; ON_UNAUTHORIZED_RESPONSE: also refreshed after a 401 answer (the FlowFile still goes to No Retry, as in NiFi).', 'enum', { default: 'ON_TOKEN_EXPIRATION', allowableValues: bools('ON_TOKEN_EXPIRATION', 'ON_UNAUTHORIZED_RESPONSE'), dependsOn: [{ property: P.oauth2 }] }),
  prop(P.username, 'User for HTTP Basic authentication (RFC 7617).', 'string', { validators: [{ kind: 'regex', pattern: '^[\\x20-\\x39\\x3b-\\x7e\\x80-\\xff]+$', message: 'must be printable characters without a colon' }] }),
  prop(P.password, 'Password for HTTP Basic authentication.', 'string', { sensitive: true, editor: 'password' }),
  prop(P.digest, 'Digest authentication (RFC 7616); Sluice does not support it, so true is refused.', 'enum', { required: true, default: 'false', allowableValues: TRUE_FALSE, dependsOn: [{ property: P.username }] }),
  prop(P.penalizeNoRetry, 'Penalize request FlowFiles answered with a status 400-499 (sent to No Retry).', 'enum', { default: 'false', allowableValues: TRUE_FALSE }),
  prop(P.bodyEnabled, 'Send the FlowFile content as the body of PATCH, POST and PUT requests.', 'enum', { default: 'true', allowableValues: TRUE_FALSE, dependsOn: BODY_DEPENDENCY }),
  prop(P.formName, 'Send the body as multipart/form-data, the content being the part with this name.', 'string', { expressionScope: 'flowfile', dependsOn: [{ property: P.bodyEnabled, values: ['true'] }] }),
  prop(P.formFilename, "Send the FlowFile's filename as the content part's filename.", 'enum', { default: 'true', allowableValues: TRUE_FALSE, dependsOn: [{ property: P.formName }] }),
  prop(P.chunked, 'Send the body chunked instead of with a Content-Length; Sluice always sends a Content-Length, so true is refused.', 'enum', { required: true, default: 'false', allowableValues: TRUE_FALSE, dependsOn: BODY_DEPENDENCY }),
  prop(P.contentEncoding, 'Content-Encoding applied to the body (GZIP needs the server\'s codecs).', 'enum', { required: true, default: 'DISABLED', allowableValues: bools('DISABLED', 'GZIP'), dependsOn: BODY_DEPENDENCY }),
  prop(P.contentType, 'Content-Type of the body; application/octet-stream when it evaluates empty.', 'string', { required: true, default: '${mime.type}', expressionScope: 'flowfile', dependsOn: BODY_DEPENDENCY }),
  prop(P.dateHeader, 'Send a Date header (RFC 7231).', 'enum', { required: true, default: 'True', allowableValues: TITLE_TRUE_FALSE }),
  prop(P.headerPattern, 'Regular expression: attributes whose whole name matches are sent as headers. User-added properties are always sent as headers.', 'string', { validators: [{ kind: 'validRegex' }] }),
  prop(P.userAgent, 'User-Agent header.', 'string', { expressionScope: 'flowfile' }),
  prop(P.bodyAttribute, 'Write the response body to this attribute of the request FlowFile (sent to Original) instead of a Response FlowFile.', 'string', { expressionScope: 'flowfile' }),
  prop(P.bodyAttributeSize, 'Most bytes of the body written to the attribute; longer bodies are truncated.', 'integer', { required: true, default: '256', validators: [{ kind: 'range', min: 1 }], dependsOn: [{ property: P.bodyAttribute }] }),
  prop(P.bodyIgnored, 'Do not write the response body anywhere.', 'enum', { required: true, default: 'false', allowableValues: TRUE_FALSE }),
  prop(P.cacheEnabled, 'HTTP response caching (RFC 7234); Sluice does not cache, so true is refused.', 'enum', { required: true, default: 'false', allowableValues: TRUE_FALSE }),
  prop(P.cacheSize, 'Size of the response cache.', 'dataSize', { required: true, default: '10MB', dependsOn: [{ property: P.cacheEnabled, values: ['true'] }] }),
  prop(P.cookies, 'Keep cookies across requests; Sluice supports DISABLED only.', 'enum', { required: true, default: 'DISABLED', allowableValues: bools('DISABLED', 'ACCEPT_ALL') }),
  prop(P.generationRequired, 'Send a Response FlowFile whatever the status code.', 'enum', { default: 'false', allowableValues: TRUE_FALSE }),
  prop(P.naming, "RANDOM keeps the filename the Response FlowFile inherits; URL_PATH names it after the URL's last path segment (GET only).", 'enum', { required: true, default: 'RANDOM', allowableValues: bools('RANDOM', 'URL_PATH') }),
  prop(P.headersToRequest, 'Add the response headers as attributes of the request FlowFile (Original, Retry, No Retry).', 'enum', { default: 'false', allowableValues: TRUE_FALSE }),
  prop(P.headersPrefix, "Prefix for those attributes; end it with '.' or '-'.", 'string', { expressionScope: 'flowfile', dependsOn: [{ property: P.headersToRequest, values: ['true'] }] }),
  prop(P.redirects, 'Follow 3xx redirects (RFC 7231 6.4).', 'enum', { required: true, default: 'True', allowableValues: TITLE_TRUE_FALSE }),
  prop(P.maxResponse, 'Sluice: a larger response body fails the request (Failure), so one answer cannot fill the server\'s memory.', 'dataSize', { required: true, default: '100 MB' }),
]);

const RENAMES: [string, string][] = [
  ['Read Timeout', P.readTimeout], ['Remote URL', P.url], ['disable-http2', P.http2Disabled], ['idle-timeout', P.idleTimeout],
  ['max-idle-connections', P.idleConnections], ['oauth2-access-token-provider', P.oauth2], ['Basic Authentication Username', P.username],
  ['Basic Authentication Password', P.password], ['Digest Authentication', P.digest], ['Penalize on "No Retry"', P.penalizeNoRetry],
  ['send-message-body', P.bodyEnabled], ['form-body-form-name', P.formName], ['set-form-filename', P.formFilename],
  ['Use Chunked Encoding', P.chunked], ['Content-Encoding', P.contentEncoding], ['Content-Type', P.contentType],
  ['Include Date Header', P.dateHeader], ['Attributes to Send', P.headerPattern], ['Useragent', P.userAgent],
  ['Put Response Body In Attribute', P.bodyAttribute], ['Max Length To Put In Attribute', P.bodyAttributeSize],
  ['ignore-response-content', P.bodyIgnored], ['use-etag', P.cacheEnabled], ['etag-max-cache-size', P.cacheSize],
  ['cookie-strategy', P.cookies], ['Always Output Response', P.generationRequired], ['flow-file-naming-strategy', P.naming],
  ['Add Response Headers to Request', P.headersToRequest], ['Follow Redirects', P.redirects],
];

class RequestError extends Error {
  constructor(message: string, readonly kind: Parameters<typeof exceptionClass>[0]) {
    super(message);
  }
}

export const InvokeHTTP = defineProcessor({
  descriptor: {
    type: 'InvokeHTTP',
    version: 1,
    displayName: 'Invoke HTTP',
    description:
      'Calls an HTTP endpoint: method, URL and headers with Expression Language, the FlowFile as the body of POST, PUT and PATCH, ' +
      'user-added properties as headers. 2xx answers go to Original (the request) and Response (the answer), 5xx to Retry, ' +
      'other statuses to No Retry, and connection errors and timeouts to Failure.',
    category: 'http',
    tags: ['http', 'https', 'rest', 'client'],
    properties: handleList(PROPS),
    relationships: [
      { name: REL.original, description: 'Request FlowFiles answered with a status 200-299.' },
      { name: REL.response, description: 'Response FlowFiles for a 200-299 answer; with Response Generation Required, for every answer.' },
      { name: REL.retry, failure: true, description: 'Request FlowFiles answered with a status 500-599 (penalized).' },
      { name: REL.noRetry, failure: true, description: 'Request FlowFiles answered with any other status (1xx, 3xx, 4xx).' },
      { name: REL.failure, failure: true, description: 'Request FlowFiles whose request failed: connection errors, timeouts, a bad URL, a response over the size limit.' },
    ],
    dynamicProperties: {
      description: "A request header named after the property, its value from Expression Language; 'post:form:<name>' properties are form parts instead.",
      expressionScope: 'flowfile',
    },
    inputRequirement: 'allowed',
    // Any method may change data on the other side (GET endpoints that act are common), so every test is a dry run first.
    sideEffects: { systems: ['the server at Remote URL'], writes: true },
    writesAttributes: [
      { name: STATUS_CODE, description: 'The status code returned.' },
      { name: STATUS_MESSAGE, description: 'The status message returned.' },
      { name: RESPONSE_BODY, description: 'On a status other than 2xx, the response body (up to the attribute size) on the request FlowFile.' },
      { name: REQUEST_URL, description: 'The request URL.' },
      { name: REQUEST_DURATION, description: 'How long the call took, in milliseconds.' },
      { name: RESPONSE_URL, description: 'The URL finally answered, after redirects.' },
      { name: TRANSACTION_ID, description: 'A UUID per request.' },
      { name: EXCEPTION_CLASS, description: 'On Failure, the Java exception class NiFi would name (java.net.SocketTimeoutException, java.net.ConnectException, …).' },
      { name: EXCEPTION_MESSAGE, error: true, description: 'On Failure, what went wrong.' },
    ],
  },

  migrateProperties(config: PropertyConfiguration): void {
    for (const [from, to] of RENAMES) config.renameProperty(from, to);
    config.removeProperty('Proxy Type');
  },

  validate(config: PropertyValues): ValidationResult[] {
    const out: ValidationResult[] = [];
    if (config[P.proxy]) out.push({ property: P.proxy, message: `${P.proxy} is not supported yet: Sluice has no proxy controller services`, code: 'invalid' });
    const refuse = (name: string, bad: string, why: string) => {
      if ((config[name] ?? '').toLowerCase() === bad.toLowerCase()) out.push({ property: name, message: `${name} '${config[name]}' is not supported: ${why}`, code: 'invalid' });
    };
    if (config[P.username]) refuse(P.digest, 'true', 'Sluice sends Basic authentication only');
    refuse(P.chunked, 'true', 'Sluice sends every body with a Content-Length');
    refuse(P.cacheEnabled, 'true', 'Sluice does not cache responses');
    refuse(P.cookies, 'ACCEPT_ALL', 'Sluice keeps no cookies between requests');
    const pattern = config[P.headerPattern];
    if (pattern) {
      const problem = checkUserRegex(pattern.trim());
      if (problem) out.push({ property: P.headerPattern, message: problem, code: 'invalid' });
    }
    const hasForm = Object.keys(config).some((k) => formPartName(k) !== null && config[k] !== undefined);
    const bodyEnabled = config[P.bodyEnabled] === 'true';
    if (hasForm && bodyEnabled && !config[P.formName]) {
      out.push({ property: P.formName, message: `[${P.formName}] is required when Form Data properties are configured and [${P.bodyEnabled}] is enabled`, code: 'invalid' });
    }
    if (!bodyEnabled && config[P.formName]) {
      out.push({ property: P.formName, message: `[${P.bodyEnabled}] must be [true] when Form Data properties are configured and [${P.formName}] is configured`, code: 'invalid' });
    }
    if ((config[P.username] || config[P.password]) && config[P.oauth2]) {
      out.push({ property: null, message: 'OAuth2 Authorization cannot be configured together with Username and Password properties', code: 'invalid' });
    }
    return out;
  },

  async onTrigger(ctx, session) {
    let request = session.get();
    const toAttribute = ctx.property(PROPS[P.bodyAttribute]).isSet();
    if (!request) {
      if (ctx.hasIncomingConnection()) return;
      const method = ctx.get(PROPS[P.method])!.trim();
      if (BODY_METHODS.includes(method)) return;
      if (toAttribute) request = session.create();
    }
    await invoke(ctx, session, request, toAttribute);
  },
});

async function invoke(ctx: ProcessContext, session: ProcessSession, requestIn: FlowFile | null, toAttribute: boolean): Promise<void> {
  let request = requestIn;
  const txId = ctx.services.randomUuid();
  let response: FlowFile | null = null;
  try {
    const url = evaluated(ctx, PROPS[P.url], request).trim();
    const built = await buildRequest(ctx, session, request, url);
    // SEND is recorded with the answer, so provenance shows what was sent next to what came back.
    const sent = (x: { response?: HttpResponse; error?: string }) => {
      if (built.body !== undefined && request) session.provenance(request, 'SEND', url, exchangeDetails({ method: built.method, url, body: fromUtf8(built.body), ...x }));
    };
    const started = ctx.services.clock.now();
    ctx.log.debug(`Request [${txId}] ${built.method} ${url} starting`);
    let answer: HttpResponse;
    try {
      answer = await ctx.services.http.request({
        method: built.method, url, headers: built.headers, body: built.body,
        connectTimeoutMs: ctx.get(PROPS[P.connectTimeout]),
        readTimeoutMs: ctx.get(PROPS[P.readTimeout]),
        followRedirects: isTrue(ctx.get(PROPS[P.redirects])),
        maxResponseBytes: ctx.get(PROPS[P.maxResponse]),
        tls: ctx.get(PROPS[P.ssl]) ? ctx.controllerService<SslContextProvider>(P.ssl, SSL_CONTEXT_API).clientTls() : undefined,
      });
    } catch (e) {
      if (e instanceof HttpTransportError) {
        sent({ error: e.message });
        throw new RequestError(e.message, e.code);
      }
      throw e;
    }
    sent({ response: answer });
    const status = answer.status;
    const success = status >= 200 && status < 300;
    ctx.log.info(`Request [${txId}] ${built.method} ${url} HTTP ${status}`);
    const statusAttributes: Record<string, string> = {
      [STATUS_CODE]: String(status),
      [STATUS_MESSAGE]: answer.statusText,
      [REQUEST_URL]: url,
      [REQUEST_DURATION]: String(Math.round(answer.durationMs ?? ctx.services.clock.now() - started)),
      [RESPONSE_URL]: answer.url ?? url,
      [TRANSACTION_ID]: txId,
    };
    if (request) request = session.putAllAttributes(request, statusAttributes);

    const generationRequired = isTrue(ctx.get(PROPS[P.generationRequired]));
    const bodyToAttribute = (!success || toAttribute) && request !== null;
    const bodyToContent = (success && !toAttribute) || generationRequired;
    const bodyExists = !isTrue(ctx.get(PROPS[P.bodyIgnored]));
    const contentType = answer.headers['content-type'];

    if (bodyToContent) {
      response = request ? session.create(request) : session.create();
      response = session.putAllAttributes(response, { ...statusAttributes, ...headerAttributes(answer.headers, '') });
      if (ctx.get(PROPS[P.naming]) === 'URL_PATH' && built.method === 'GET') {
        const name = fileNameFromUrl(url);
        if (name !== null) response = session.putAttribute(response, CoreAttributes.FILENAME, name);
      }
      if (bodyExists) {
        if (contentType !== undefined) response = session.putAttribute(response, CoreAttributes.MIME_TYPE, contentType);
        response = session.write(response, answer.body);
        session.provenance(response, request ? 'FETCH' : 'RECEIVE', url);
      }
    }
    if (bodyToAttribute && bodyExists && request) {
      const key = ctx.get(PROPS[P.bodyAttribute], request) || RESPONSE_BODY;
      const size = toAttribute ? ctx.get(PROPS[P.bodyAttributeSize]) : 256;
      request = session.putAttribute(request, key, decodeBody(answer.body.subarray(0, size), contentType));
    }
    if (isTrue(ctx.get(PROPS[P.headersToRequest])) && request) {
      const prefix = ctx.get(PROPS[P.headersPrefix], request)?.trim() ?? '';
      request = session.putAllAttributes(request, headerAttributes(answer.headers, prefix));
    }
    // The token may have been revoked before its expiry: with ON_UNAUTHORIZED_RESPONSE the next request gets a fresh one.
    if (status === 401 && ctx.get(PROPS[P.oauth2]) && ctx.get(PROPS[P.oauth2Refresh]) === 'ON_UNAUTHORIZED_RESPONSE') {
      await ctx.controllerService<OAuth2AccessTokenProvider>(P.oauth2, OAUTH2_PROVIDER_API).refresh(ctx.services.http, ctx.services.clock).catch((e: Error) => ctx.log.warn(`OAuth2 token refresh after 401 failed: ${e.message}`));
    }
    route(ctx, session, request, response, status, generationRequired);
  } catch (e) {
    const kind = e instanceof RequestError ? e.kind : e instanceof ExpressionError ? 'expression' : 'other';
    const message = (e as Error).message;
    if (response) session.remove(response);
    if (!request) {
      ctx.log.error(`Request Processing failed: ${message}`);
      ctx.yield();
      return;
    }
    ctx.log.error(`Request Processing failed: ${request.uuid}: ${message}`);
    request = session.penalize(request);
    request = session.putAllAttributes(request, { [EXCEPTION_CLASS]: exceptionClass(kind), [EXCEPTION_MESSAGE]: message });
    session.transfer(request, REL.failure);
  }
}

function route(ctx: ProcessContext, session: ProcessSession, requestIn: FlowFile | null, response: FlowFile | null, status: number, generationRequired: boolean): void {
  let request = requestIn;
  const success = status >= 200 && status < 300;
  if (!success && !request) ctx.yield();
  let responseSent = false;
  if (generationRequired && response) {
    session.transfer(response, REL.response);
    responseSent = true;
  }
  if (success) {
    if (request) session.transfer(request, REL.original);
    if (response && !responseSent) session.transfer(response, REL.response);
  } else if (Math.floor(status / 100) === 5) {
    if (request) session.transfer(session.penalize(request), REL.retry);
  } else if (request) {
    if (isTrue(ctx.get(PROPS[P.penalizeNoRetry]))) request = session.penalize(request);
    session.transfer(request, REL.noRetry);
  }
}

function evaluated(ctx: ProcessContext, handle: PropertyHandle<string, boolean>, flowFile: FlowFile | null): string {
  return ctx.get(handle, flowFile) ?? '';
}

async function buildRequest(ctx: ProcessContext, session: ProcessSession, request: FlowFile | null, url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RequestError(`'${url}' is not a valid URL`, 'url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new RequestError(`'${url}' must use http or https`, 'url');
  const method = evaluated(ctx, PROPS[P.method], request).trim();
  const headers: Record<string, string> = {};
  const user = (ctx.get(PROPS[P.username]) ?? '').trim();
  if (user !== '') headers['authorization'] = basicAuthorization(user, (ctx.get(PROPS[P.password]) ?? '').trim());
  if (ctx.get(PROPS[P.oauth2])) {
    const provider = ctx.controllerService<OAuth2AccessTokenProvider>(P.oauth2, OAUTH2_PROVIDER_API);
    try {
      headers['authorization'] = `Bearer ${await provider.accessToken(ctx.services.http, ctx.services.clock)}`;
    } catch (e) {
      throw new RequestError((e as Error).message, 'other');
    }
  }
  let body: Uint8Array | undefined;
  if (BODY_METHODS.includes(method)) {
    const gzip = ctx.get(PROPS[P.contentEncoding]) === 'GZIP';
    const typed = evaluated(ctx, PROPS[P.contentType], request).trim();
    const contentType = typed === '' ? 'application/octet-stream' : typed;
    const bodyEnabled = ctx.get(PROPS[P.bodyEnabled]) !== 'false';
    const content = request && bodyEnabled ? await session.read(request) : new Uint8Array(0);
    const fields: [string, string][] = [];
    for (const [name, value] of Object.entries(ctx.dynamicProperties())) {
      const part = formPartName(name);
      if (part !== null) fields.push([part, ctx.evaluateExpression(value, request)]);
    }
    const formName = evaluated(ctx, PROPS[P.formName], request);
    if (fields.length || formName !== '') {
      const filename = ctx.get(PROPS[P.formFilename]) !== 'false' ? (request?.attributes[CoreAttributes.FILENAME] ?? null) : null;
      const multipart = multipartBody(fields, bodyEnabled ? { name: formName, filename, contentType, content } : null, `sluice-${ctx.services.randomUuid()}`);
      body = multipart.body;
      headers['content-type'] = multipart.contentType;
    } else if (bodyEnabled) {
      body = content;
      headers['content-type'] = contentType;
    } else {
      body = new Uint8Array(0);
    }
    if (gzip) {
      const codec = ctx.services.compression;
      if (!codec?.formats.includes('gzip')) throw new RequestError('Request Content-Encoding GZIP needs the server\'s compression codecs, which this host does not provide', 'other');
      body = await codec.compress('gzip', body, 6);
      headers['content-encoding'] = 'gzip';
    }
  }
  const agent = evaluated(ctx, PROPS[P.userAgent], request).trim();
  if (agent !== '') headers['user-agent'] = agent;
  if (isTrue(ctx.get(PROPS[P.dateHeader]))) headers['date'] = new Date(ctx.services.clock.now()).toUTCString();
  for (const [name, value] of Object.entries(ctx.dynamicProperties())) {
    if (formPartName(name) === null) headers[name] = ctx.evaluateExpression(value, request);
  }
  const pattern = ctx.get(PROPS[P.headerPattern])?.trim();
  const compiled = pattern ? ctx.cache(`headers:${pattern}`, () => compileUserRegex(pattern).full) : null;
  for (const [name, value] of attributeHeaders(request, compiled)) headers[name] = value;
  return { method, headers, body };
}
