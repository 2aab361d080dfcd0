import { defineProcessor, describeProperty, handleList, propertyHandles, type HttpExchange, type ProcessContext, type PropertyValues, type ValidationResult } from '@sluice/flow-api';
import { compileUserRegex } from '../text-shared/user-regex.util.js';
import { bind, inboxOf, listenerTls, portProperty, SSL_CONTEXT_API, textResponse } from '../http-shared/http-listener.util.js';

const P = {
  basePath: 'Base Path', port: 'Listening Port', healthPort: 'Listening Port for Health Check Requests', ssl: 'SSL Context Service',
  protocols: 'HTTP Protocols', clientAuth: 'Client Authentication', subjectDn: 'Authorized Subject DN Pattern',
  issuerDn: 'Authorized Issuer DN Pattern', unconfirmed: 'Max Unconfirmed Flowfile Time', headerRegex: 'HTTP Headers for Attributes',
  headerMax: 'Request Header Maximum Size', returnCode: 'Return Code', multipartMax: 'Multipart Request Max Size',
  multipartBuffer: 'Multipart Read Buffer Size', threads: 'Maximum Thread Pool Size', reader: 'Record Reader', writer: 'Record Writer',
  bodyMax: 'Request Body Maximum Size',
} as const;
export { P as LISTEN_HTTP_PROPERTIES };

/** Requests taken into one session: they are acknowledged together once it commits. */
const BATCH = 100;
const ACCEPT = 'application/flowfile-v3,application/flowfile-v2;q=0.8,application/flowfile;q=0.6,*/*;q=0.8';

const prop = describeProperty;
const SSL = [{ property: P.ssl }];

const PROPS = propertyHandles([
  prop(P.basePath, 'Path the service answers on, without leading or trailing slash: http://{host}:{port}/{Base Path}.', 'string', {
    required: true, default: 'contentListener', expressionScope: 'environment',
    validators: [{ kind: 'regex', pattern: '^([^/]+.*[^/]+|[^/]+|)$', message: 'must not start or end with /' }],
  }),
  prop(P.port, 'Port to listen on.', 'string', { required: true, expressionScope: 'environment', placeholder: '8081' }),
  prop(P.healthPort, 'A second port that answers only GET and HEAD on /{Base Path}/healthcheck (for load balancers); must differ from Listening Port.', 'string', { expressionScope: 'environment' }),
  prop(P.ssl, 'Serves HTTPS with the key and certificate of this SSL Context Service.', 'string', { identifiesControllerService: SSL_CONTEXT_API }),
  prop(P.protocols, 'Sluice serves HTTP/1.1 only: the HTTP/2 options are refused.', 'enum', {
    required: true, default: 'HTTP_1_1', dependsOn: SSL,
    allowableValues: [{ value: 'HTTP_1_1', displayName: 'http/1.1' }, { value: 'H2_HTTP_1_1', displayName: 'h2 http/1.1' }, { value: 'H2', displayName: 'h2' }],
  }),
  prop(P.clientAuth, 'Client certificates over TLS: AUTO needs one when the SSL Context Service has a truststore.', 'enum', {
    default: 'AUTO', dependsOn: SSL,
    allowableValues: ['AUTO', 'WANT', 'REQUIRED', 'NONE'].map((v) => ({ value: v, displayName: v })),
  }),
  prop(P.subjectDn, "Regular expression the client certificate's subject DN must match; otherwise 403.", 'string', { required: true, default: '.*', validators: [{ kind: 'validRegex' }] }),
  prop(P.issuerDn, "Regular expression the client certificate's issuer DN must match; otherwise 403.", 'string', { default: '.*', validators: [{ kind: 'validRegex' }] }),
  prop(P.unconfirmed, "For NiFi's two-phase (hold) transfers, which Sluice does not offer: every request is answered once stored, so this is accepted and unused.", 'duration', { required: true, default: '60 secs' }),
  prop(P.headerRegex, 'Regular expression: request headers whose whole name matches become attributes of the FlowFile.', 'string', { validators: [{ kind: 'validRegex' }] }),
  prop(P.headerMax, 'Largest request head (request line and headers) accepted; larger requests are refused with 431.', 'dataSize', { required: true, default: '8 KB' }),
  prop(P.returnCode, 'Status code of the answer once the FlowFile is stored.', 'integer', { default: '200', validators: [{ kind: 'range', min: 0 }] }),
  prop(P.multipartMax, 'NiFi splits multipart/form-data into one FlowFile per part; Sluice keeps the whole body as one FlowFile, so this is accepted and unused.', 'dataSize', { required: true, default: '1 MB' }),
  prop(P.multipartBuffer, 'Accepted and unused (see Multipart Request Max Size).', 'dataSize', { required: true, default: '512 KB' }),
  prop(P.threads, 'Requests that may wait to be stored at once (8 to 1000); beyond that, callers get 503 until the flow catches up.', 'integer', { required: true, default: '200', validators: [{ kind: 'range', min: 8, max: 1000 }] }),
  prop(P.reader, 'Record processing of requests is not offered by Sluice yet; setting it is refused.', 'string', { identifiesControllerService: 'RecordReaderFactory' }),
  prop(P.writer, 'See Record Reader.', 'string', { identifiesControllerService: 'RecordSetWriterFactory', dependsOn: [{ property: P.reader }] }),
  prop(P.bodyMax, 'Sluice: largest request body accepted; a larger one is answered 413 and never stored.', 'dataSize', { required: true, default: '10 MB' }),
]);

function validate(config: PropertyValues): ValidationResult[] {
  const out: ValidationResult[] = [];
  const literalPort = (name: string): string | undefined => {
    const v = config[name]?.trim();
    if (v === undefined || v === '' || v.includes('${') || v.includes('#{')) return v;
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) out.push({ property: name, message: `${name}: '${v}' is not a port number (1 to 65535)`, code: 'invalid' });
    return v;
  };
  const port = literalPort(P.port);
  const health = literalPort(P.healthPort);
  if (health && port && health === port) out.push({ property: P.healthPort, message: `'${P.port}' and '${P.healthPort}' cannot have the same value.`, code: 'invalid' });
  const protocols = config[P.protocols];
  if (config[P.ssl] && protocols && protocols !== 'HTTP_1_1') out.push({ property: P.protocols, message: `${P.protocols}: Sluice serves HTTP/1.1 only; '${protocols}' (HTTP/2) is not supported`, code: 'invalid' });
  if (config[P.reader]) out.push({ property: P.reader, message: `${P.reader}: record processing of received requests is not supported by Sluice's ListenHTTP; convert with ConvertRecord after it`, code: 'invalid' });
  return out;
}

interface Settings {
  basePath: string;
  headerRx: RegExp | null;
  subjectRx: RegExp;
  issuerRx: RegExp;
  returnCode: number;
}

function settingsOf(context: ProcessContext): Settings {
  return context.cache('listen-http.settings', () => {
    const headerRegex = context.get(PROPS[P.headerRegex]);
    return {
      basePath: `/${context.get(PROPS[P.basePath])}`.replace(/\/$/, '') || '/',
      headerRx: headerRegex ? compileUserRegex(`^(?:${headerRegex})$`).re : null,
      subjectRx: compileUserRegex(`^(?:${context.get(PROPS[P.subjectDn])})$`).re,
      issuerRx: compileUserRegex(`^(?:${context.get(PROPS[P.issuerDn])})$`).re,
      returnCode: context.get(PROPS[P.returnCode]),
    };
  });
}

const matches = (rx: RegExp, text: string): boolean => {
  rx.lastIndex = 0;
  return rx.test(text);
};

/** Answers what ListenHTTP answers itself (health checks, wrong paths and methods); true when the request goes on. */
function screen(x: HttpExchange, s: Settings, healthOnly: boolean): boolean {
  const { method, path } = x.request;
  if (path === `${s.basePath === '/' ? '' : s.basePath}/healthcheck`) {
    if (method === 'GET' || method === 'HEAD') x.respond(textResponse(200, method === 'HEAD' ? '' : 'OK'));
    else x.respond(textResponse(405, 'Method Not Allowed'));
    return false;
  }
  if (healthOnly || path !== s.basePath) {
    x.respond(textResponse(404, 'Not Found'));
    return false;
  }
  if (method === 'HEAD') {
    x.respond({ status: 200, headers: { accept: ACCEPT, 'x-nifi-transfer-protocol-version': '3' } });
    return false;
  }
  if (method !== 'POST') {
    x.respond(textResponse(method === 'CONNECT' ? 400 : 405, method === 'CONNECT' ? 'Bad Request' : 'Method Not Allowed'));
    return false;
  }
  const cert = x.request.clientCertificate;
  if (cert) {
    if (!matches(s.issuerRx, cert.issuerDN)) {
      x.respond(textResponse(403, 'not allowed based on issuer dn'));
      return false;
    }
    if (!matches(s.subjectRx, cert.subjectDN)) {
      x.respond(textResponse(403, 'not allowed based on subject dn'));
      return false;
    }
  }
  return true;
}

export const ListenHTTP = defineProcessor({
  descriptor: {
    type: 'ListenHTTP',
    version: 1,
    displayName: 'Listen HTTP',
    description:
      'Starts an HTTP server and turns each POST to /{Base Path} into a FlowFile, answered with the Return Code only once the ' +
      'FlowFile is stored (a crash after the answer loses nothing). HEAD is answered 200; GET, PUT, DELETE and OPTIONS 405; ' +
      'GET /{Base Path}/healthcheck answers "OK". When the flow cannot keep up, callers get 503.',
    category: 'source',
    tags: ['ingest', 'http', 'https', 'rest', 'listen'],
    properties: handleList(PROPS),
    relationships: [{ name: 'success', description: 'Relationship for successfully received FlowFiles.' }],
    inputRequirement: 'forbidden',
    defaultSchedule: { strategy: 'timer', period: '0 sec' },
    triggerSerially: true,
    writesAttributes: [
      { name: 'filename', description: "The request's filename header, when it has one." },
      { name: 'restlistener.remote.source.host', description: 'Address of the caller.' },
      { name: 'restlistener.request.uri', description: 'Path of the request.' },
      { name: 'restlistener.remote.user.dn', description: "Subject DN of the caller's client certificate, over TLS with client authentication." },
      { name: 'restlistener.remote.issuer.dn', description: "Issuer DN of the caller's client certificate." },
    ],
  },
  validate,
  async onScheduled(context) {
    const s = settingsOf(context);
    const inbox = inboxOf(context, context.get(PROPS[P.threads]));
    const port = portProperty(context, P.port)!;
    const healthPort = portProperty(context, P.healthPort);
    const clientAuth = context.get(PROPS[P.clientAuth]) as 'AUTO' | 'WANT' | 'REQUIRED' | 'NONE';
    const tls = listenerTls(context, P.ssl, clientAuth === 'AUTO' ? 'AUTO' : clientAuth === 'WANT' ? 'want' : clientAuth === 'REQUIRED' ? 'need' : 'none');
    const maxBodyBytes = context.get(PROPS[P.bodyMax]);
    const maxHeaderBytes = context.get(PROPS[P.headerMax]);
    const onRequest = (x: HttpExchange): void => {
      if (!screen(x, s, false)) return;
      if (!inbox.offer(x)) {
        x.respond(textResponse(503, 'Service Unavailable'));
        return;
      }
      context.wake();
    };
    const listeners = [await bind(context, P.port, { port, maxBodyBytes, maxHeaderBytes, tls }, onRequest)];
    if (healthPort !== undefined) {
      // One-way TLS on the health port: load balancers rarely present client certificates.
      const healthTls = tls && { ...tls, clientAuth: 'none' as const };
      try {
        listeners.push(await bind(context, P.healthPort, { port: healthPort, maxBodyBytes: 64 * 1024, maxHeaderBytes, tls: healthTls }, (x) => void screen(x, s, true)));
      } catch (e) {
        await listeners[0]!.close();
        throw e;
      }
    }
    inbox.opened(listeners);
    context.log.info(`listening on port ${listeners[0]!.port} at ${s.basePath}`);
  },
  async onStopped(context) {
    await inboxOf(context, 0).close();
  },
  onTrigger(context, session) {
    const s = settingsOf(context);
    const taken = inboxOf(context, 0).take(BATCH);
    if (taken.length === 0) {
      // Nothing waiting: a request that arrives wakes the processor, so it need not poll.
      context.yield();
      return;
    }
    for (const x of taken) {
      const r = x.request;
      let ff = session.create();
      ff = session.write(ff, r.body);
      const attributes: Record<string, string> = {};
      if (s.headerRx) for (const [name, value] of Object.entries(r.headers)) if (matches(s.headerRx, name)) attributes[name] = value;
      if (r.headers['filename']) attributes['filename'] = r.headers['filename'];
      attributes['restlistener.remote.source.host'] = r.remoteAddress;
      attributes['restlistener.request.uri'] = r.path;
      if (r.clientCertificate) {
        attributes['restlistener.remote.user.dn'] = r.clientCertificate.subjectDN;
        attributes['restlistener.remote.issuer.dn'] = r.clientCertificate.issuerDN;
      }
      ff = session.putAllAttributes(ff, attributes);
      const uri = `${r.scheme}://${r.headers['host'] ?? `${r.localAddress}:${r.localPort}`}${r.url}`;
      session.provenance(ff, 'RECEIVE', uri, `Remote DN=${r.clientCertificate?.subjectDN ?? 'null'}, Issuer DN=${r.clientCertificate?.issuerDN ?? 'null'}`);
      session.transfer(ff, 'success');
      session.afterCommit(
        () => x.respond({ status: s.returnCode, headers: { 'content-type': 'text/plain' } }),
        () => x.respond(textResponse(500, 'Internal Server Error: the request could not be stored')),
      );
    }
  },
});
