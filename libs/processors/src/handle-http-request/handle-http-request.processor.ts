import { defineProcessor, describeProperty, handleList, propertyHandles, type FlowFile, type HttpExchange, type ProcessContext, type ProcessSession, type PropertyConfiguration, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { compileUserRegex } from '../text-shared/user-regex.util.js';
import { HTTP_CONTEXT_MAP_API, type HttpContextMap } from '../http-shared/http-context-map.service.js';
import { bind, inboxOf, listenerTls, portProperty, SSL_CONTEXT_API, textResponse } from '../http-shared/http-listener.util.js';

const P = {
  port: 'Listening Port', hostname: 'Hostname', ssl: 'SSL Context Service', protocols: 'HTTP Protocols', contextMap: 'HTTP Context Map',
  charset: 'Default URL Character Set', paths: 'Allowed Paths', get: 'Allow GET', post: 'Allow POST', put: 'Allow PUT', del: 'Allow DELETE',
  head: 'Allow HEAD', options: 'Allow OPTIONS', threads: 'Maximum Threads', headerMax: 'Request Header Maximum Size',
  methods: 'Additional HTTP Methods', params: 'Parameters to Attributes', clientAuth: 'Client Authentication',
  queueSize: 'Container Queue Size', multipartMax: 'Multipart Request Max Size', multipartBuffer: 'Multipart Read Buffer Size',
  bodyMax: 'Request Body Maximum Size',
} as const;
export { P as HANDLE_HTTP_REQUEST_PROPERTIES };
export const HTTP_CONTEXT_ID = 'http.context.identifier';

const BATCH = 50;
const prop = describeProperty;
const TRUE_FALSE = [{ value: 'true', displayName: 'true' }, { value: 'false', displayName: 'false' }] as const;
const allow = <const N extends string>(name: N, method: string, def: 'true' | 'false') =>
  prop(name, `Allow HTTP ${method} requests.`, 'enum', { required: true, default: def, allowableValues: TRUE_FALSE });

const PROPS = propertyHandles([
  prop(P.port, 'Port to listen on.', 'string', { required: true, default: '80', expressionScope: 'environment' }),
  prop(P.hostname, "Interface to listen on; Sluice's own HOST (127.0.0.1 unless set) when empty.", 'string'),
  prop(P.ssl, 'Serves HTTPS with the key and certificate of this SSL Context Service.', 'string', { identifiesControllerService: SSL_CONTEXT_API }),
  prop(P.protocols, 'Sluice serves HTTP/1.1 only: the HTTP/2 options are refused.', 'enum', {
    required: true, default: 'HTTP_1_1', dependsOn: [{ property: P.ssl }],
    allowableValues: [{ value: 'HTTP_1_1', displayName: 'http/1.1' }, { value: 'H2_HTTP_1_1', displayName: 'h2 http/1.1' }, { value: 'H2', displayName: 'h2' }],
  }),
  prop(P.contextMap, 'The HTTP Context Map that holds each request until HandleHttpResponse answers it.', 'string', { required: true, identifiesControllerService: HTTP_CONTEXT_MAP_API }),
  prop(P.charset, 'Character set for decoding the URL and query string.', 'string', { required: true, default: 'UTF-8', validators: [{ kind: 'charset' }] }),
  prop(P.paths, 'Regular expression the request path must match as a whole; other paths are answered 404.', 'string', { validators: [{ kind: 'validRegex' }] }),
  allow(P.get, 'GET', 'true'), allow(P.post, 'POST', 'true'), allow(P.put, 'PUT', 'true'), allow(P.del, 'DELETE', 'true'),
  allow(P.head, 'HEAD', 'false'), allow(P.options, 'OPTIONS', 'false'),
  prop(P.threads, "Jetty's thread count in NiFi; Sluice answers on its event loop, so this is accepted and unused.", 'integer', { required: true, default: '200', validators: [{ kind: 'range', min: 1 }] }),
  prop(P.headerMax, 'Largest request head (request line and headers) accepted; larger requests are refused with 431.', 'dataSize', { required: true, default: '8 KB' }),
  prop(P.methods, 'Comma-separated HTTP methods to allow besides the ones above.', 'string'),
  prop(P.params, 'Comma-separated names of form parameters (application/x-www-form-urlencoded bodies and the query) to write as http.param.<name> attributes.', 'string'),
  prop(P.clientAuth, 'Client certificates over TLS.', 'enum', {
    required: true, default: 'No Authentication', dependsOn: [{ property: P.ssl }],
    allowableValues: ['No Authentication', 'Want Authentication', 'Need Authentication'].map((v) => ({ value: v, displayName: v })),
  }),
  prop(P.queueSize, 'Requests that may wait for the processor at once; more are answered 503.', 'integer', { required: true, default: '50', validators: [{ kind: 'range', min: 1 }] }),
  prop(P.multipartMax, 'NiFi splits multipart/form-data into one FlowFile per part; Sluice keeps the whole body as one FlowFile, so this is accepted and unused.', 'dataSize', { required: true, default: '1 MB' }),
  prop(P.multipartBuffer, 'Accepted and unused (see Multipart Request Max Size).', 'dataSize', { required: true, default: '512 KB' }),
  prop(P.bodyMax, 'Sluice: largest request body accepted; a larger one is answered 413 and never reaches the flow.', 'dataSize', { required: true, default: '10 MB' }),
]);

function validate(config: PropertyValues): ValidationResult[] {
  const out: ValidationResult[] = [];
  const port = config[P.port]?.trim();
  if (port && !port.includes('${') && !port.includes('#{') && (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)) {
    out.push({ property: P.port, message: `${P.port}: '${port}' is not a port number (1 to 65535)`, code: 'invalid' });
  }
  const protocols = config[P.protocols];
  if (config[P.ssl] && protocols && protocols !== 'HTTP_1_1') out.push({ property: P.protocols, message: `${P.protocols}: Sluice serves HTTP/1.1 only; '${protocols}' (HTTP/2) is not supported`, code: 'invalid' });
  return out;
}

interface Settings {
  methods: Set<string>;
  pathRx: RegExp | null;
  params: Set<string>;
  charset: string;
}

function settingsOf(context: ProcessContext): Settings {
  return context.cache('handle-http-request.settings', () => {
    const methods = new Set<string>();
    const flag = (allowed: 'true' | 'false', method: string) => allowed === 'true' && methods.add(method);
    flag(context.get(PROPS[P.get]), 'GET'); flag(context.get(PROPS[P.post]), 'POST'); flag(context.get(PROPS[P.put]), 'PUT');
    flag(context.get(PROPS[P.del]), 'DELETE'); flag(context.get(PROPS[P.head]), 'HEAD'); flag(context.get(PROPS[P.options]), 'OPTIONS');
    for (const m of (context.get(PROPS[P.methods]) ?? '').split(',')) if (m.trim()) methods.add(m.trim().toUpperCase());
    const paths = context.get(PROPS[P.paths]);
    const params = new Set((context.get(PROPS[P.params]) ?? '').split(',').map((x) => x.trim()).filter(Boolean));
    return { methods, pathRx: paths ? compileUserRegex(`^(?:${paths})$`).re : null, params, charset: context.get(PROPS[P.charset]) };
  });
}

/** `+` is a space in a query, as Java's URLDecoder reads it; a malformed escape is kept as it was sent. */
function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function queryPairs(query: string): [string, string][] {
  return query.split('&').filter(Boolean).map((kv) => {
    const i = kv.indexOf('=');
    return i < 0 ? [decode(kv), ''] : [decode(kv.slice(0, i)), decode(kv.slice(i + 1))];
  });
}

function requestAttributes(x: HttpExchange, s: Settings, contextId: string): Record<string, string> {
  const r = x.request;
  const a: Record<string, string> = { [HTTP_CONTEXT_ID]: contextId };
  if (r.headers['content-type']) a['mime.type'] = r.headers['content-type'];
  a['http.servlet.path'] = '';
  a['http.context.path'] = '';
  a['http.method'] = r.method;
  a['http.local.addr'] = r.localAddress;
  a['http.local.name'] = r.localAddress;
  if (r.query !== null) a['http.query.string'] = decode(r.query);
  a['http.remote.host'] = r.remoteAddress;
  a['http.remote.addr'] = r.remoteAddress;
  a['http.protocol'] = r.protocol;
  a['http.request.uri'] = r.path;
  const host = r.headers['host'] ?? `${r.localAddress}:${r.localPort}`;
  a['http.request.url'] = `${r.scheme}://${host}${r.path}`;
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(host);
  a['http.server.name'] = m?.[1] ?? m?.[2] ?? r.localAddress;
  a['http.server.port'] = m?.[3] ?? String(r.localPort);
  if (r.headers['authorization']) a['http.auth.type'] = r.headers['authorization'].split(' ')[0]!;
  if (r.clientCertificate) {
    a['http.subject.dn'] = r.clientCertificate.subjectDN;
    a['http.issuer.dn'] = r.clientCertificate.issuerDN;
  }
  const pairs = r.query === null ? [] : queryPairs(r.query);
  for (const [k, v] of pairs) a[`http.query.param.${k}`] = v;
  if (s.params.size) {
    const form = (r.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded') ? queryPairs(new TextDecoder().decode(r.body)) : [];
    for (const [k, v] of [...pairs, ...form]) if (s.params.has(k) && a[`http.param.${k}`] === undefined) a[`http.param.${k}`] = v;
  }
  for (const cookie of (r.headers['cookie'] ?? '').split(';')) {
    const i = cookie.indexOf('=');
    if (i > 0) a[`http.cookie.${cookie.slice(0, i).trim()}.value`] = cookie.slice(i + 1).trim();
  }
  for (const [name, value] of Object.entries(r.headers)) a[`http.headers.${headerCase(name)}`] = value;
  return a;
}

/** Node lower-cases header names; NiFi's attributes carry them as callers usually write them (Content-Type). */
function headerCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase());
}

function forward(context: ProcessContext, session: ProcessSession, map: HttpContextMap, x: HttpExchange, s: Settings): void {
  const contextId = context.services.randomUuid();
  let ff: FlowFile = session.create();
  ff = session.write(ff, x.request.body);
  ff = session.putAllAttributes(ff, requestAttributes(x, s, contextId));
  if (!map.register(contextId, x, context.services.clock)) {
    session.remove(ff);
    x.respond(textResponse(503, 'Service Unavailable: Request Registration Failed'));
    return;
  }
  session.provenance(ff, 'RECEIVE', ff.attributes['http.request.url']!, `Received from ${x.request.remoteAddress}`);
  session.transfer(ff, 'success');
  // A session that does not commit leaves nobody to answer: say so now rather than at expiry.
  session.afterCommit(() => undefined, () => {
    map.complete(contextId);
    x.respond(textResponse(503, 'Service Unavailable: the request could not be handed to the flow'));
  });
}

export const HandleHttpRequest = defineProcessor({
  descriptor: {
    type: 'HandleHttpRequest',
    version: 1,
    displayName: 'Handle HTTP Request',
    description:
      'Starts an HTTP server and turns each request into a FlowFile (the body as content, the request in http.* attributes) ' +
      'that waits in the HTTP Context Map until a HandleHttpResponse answers it: a web service built from a flow. Disallowed ' +
      'methods are answered 405, paths outside Allowed Paths 404, and 503 when the queue or the context map is full.',
    category: 'source',
    tags: ['http', 'https', 'request', 'listen', 'ingress', 'web service'],
    properties: handleList(PROPS),
    relationships: [{ name: 'success', description: 'All content that is received is routed to the success relationship.' }],
    inputRequirement: 'forbidden',
    defaultSchedule: { strategy: 'timer', period: '0 sec' },
    triggerSerially: true,
    writesAttributes: [
      { name: HTTP_CONTEXT_ID, description: 'Identifies the request to HandleHttpResponse.' },
      { name: 'mime.type', description: 'The request\'s Content-Type.' },
      { name: 'http.method', description: 'GET, POST, …' },
      { name: 'http.request.uri', description: 'The path of the request.' },
      { name: 'http.request.url', description: 'The full request URL.' },
      { name: 'http.query.string', description: 'The decoded query string.' },
      { name: 'http.query.param.XXX', description: 'Each query parameter.' },
      { name: 'http.param.XXX', description: 'Form and query parameters named in Parameters to Attributes.' },
      { name: 'http.headers.XXX', description: 'Each request header.' },
      { name: 'http.cookie.XXX.value', description: 'Each cookie.' },
      { name: 'http.remote.host', description: 'The caller\'s address.' },
      { name: 'http.remote.addr', description: 'The caller\'s address.' },
      { name: 'http.local.name', description: 'The address the request arrived at.' },
      { name: 'http.server.port', description: 'The port the request was sent to.' },
      { name: 'http.subject.dn', description: 'Subject DN of the client certificate (TLS with client authentication).' },
      { name: 'http.issuer.dn', description: 'Issuer DN of the client certificate.' },
    ],
  },
  migrateProperties(config: PropertyConfiguration) {
    config.renameProperty('parameters-to-attributes', P.params);
    config.renameProperty('container-queue-size', P.queueSize);
    config.renameProperty('multipart-request-max-size', P.multipartMax);
    config.renameProperty('multipart-read-buffer-size', P.multipartBuffer);
  },
  validate,
  async onScheduled(context) {
    const s = settingsOf(context);
    // Checked now so a missing or disabled map stops the start, not the first request.
    context.controllerService<HttpContextMap>(P.contextMap, HTTP_CONTEXT_MAP_API);
    const inbox = inboxOf(context, context.get(PROPS[P.queueSize]));
    const port = portProperty(context, P.port)!;
    const auth = context.get(PROPS[P.clientAuth]);
    const tls = listenerTls(context, P.ssl, auth === 'Need Authentication' ? 'need' : auth === 'Want Authentication' ? 'want' : 'none');
    const onRequest = (x: HttpExchange): void => {
      if (!s.methods.has(x.request.method)) {
        x.respond(textResponse(405, 'Method Not Allowed'));
        return;
      }
      if (s.pathRx) {
        s.pathRx.lastIndex = 0;
        if (!s.pathRx.test(x.request.path)) {
          x.respond(textResponse(404, 'Path Not Found'));
          return;
        }
      }
      if (!inbox.offer(x)) {
        x.respond(textResponse(503, 'Service Unavailable: Request Queue Full'));
        return;
      }
      context.wake();
    };
    const listener = await bind(context, P.port, {
      port,
      host: context.get(PROPS[P.hostname]) || undefined,
      maxBodyBytes: context.get(PROPS[P.bodyMax]),
      maxHeaderBytes: context.get(PROPS[P.headerMax]),
      tls,
    }, onRequest);
    inbox.opened([listener]);
    context.log.info(`listening on port ${listener.port}`);
  },
  async onStopped(context) {
    await inboxOf(context, 0).close();
  },
  onTrigger(context, session) {
    const taken = inboxOf(context, 0).take(BATCH);
    if (taken.length === 0) {
      context.yield();
      return;
    }
    const s = settingsOf(context);
    const map = context.controllerService<HttpContextMap>(P.contextMap, HTTP_CONTEXT_MAP_API);
    for (const x of taken) forward(context, session, map, x, s);
  },
});
