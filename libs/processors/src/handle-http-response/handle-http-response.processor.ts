import { defineProcessor, handleList, propertyHandles, type PropertyConfiguration } from '@sluice/flow-api';
import { compileUserRegex } from '../text-shared/user-regex.util.js';
import { HTTP_CONTEXT_MAP_API, type HttpContextMap } from '../http-shared/http-context-map.service.js';
import { HTTP_CONTEXT_ID } from '../handle-http-request/handle-http-request.processor.js';

const P = { status: 'HTTP Status Code', contextMap: 'HTTP Context Map', headerRegex: 'Attributes for HTTP Response' } as const;
export { P as HANDLE_HTTP_RESPONSE_PROPERTIES };

/** Header values are sent as given; a line break in one would end the header (response splitting), so it fails instead. */
const BAD_HEADER_VALUE = /[\r\n\0]/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const PROPS = propertyHandles([
  {
    name: P.status, displayName: P.status, type: 'string', required: true, expressionScope: 'flowfile',
    description: 'The status code of the answer (a whole number, such as 200 or ${invokehttp.status.code}).',
  },
  { name: P.contextMap, displayName: P.contextMap, type: 'string', required: true, identifiesControllerService: HTTP_CONTEXT_MAP_API, description: 'The HTTP Context Map the HandleHttpRequest uses.' },
  { name: P.headerRegex, displayName: P.headerRegex, type: 'string', validators: [{ kind: 'validRegex' }], description: 'Regular expression: attributes whose whole name matches are sent as response headers.' },
]);

export const HandleHttpResponse = defineProcessor({
  descriptor: {
    type: 'HandleHttpResponse',
    version: 1,
    displayName: 'Handle HTTP Response',
    description:
      'Answers the request a HandleHttpRequest received: the FlowFile content as the body, the status code from HTTP Status Code, ' +
      'headers from user-added properties and from attributes matching Attributes for HTTP Response. A FlowFile whose request ' +
      'is no longer waiting (answered, expired with 503, or received before a restart) goes to failure.',
    category: 'http',
    tags: ['http', 'https', 'response', 'egress', 'web service'],
    properties: handleList(PROPS),
    relationships: [
      { name: 'success', description: 'FlowFiles whose answer was sent.' },
      { name: 'failure', failure: true, description: 'FlowFiles whose request could not be answered: no http.context.identifier, a status that is not a number, a request no longer waiting, a header that cannot be sent.' },
    ],
    dynamicProperties: { description: 'A response header named after the property; its value from Expression Language (an empty value sends no header).', expressionScope: 'flowfile' },
    inputRequirement: 'required',
    readsAttributes: [
      { name: HTTP_CONTEXT_ID, description: 'Which request to answer.' },
      { name: 'http.request.url', description: 'For provenance.' },
    ],
  },
  migrateProperties(config: PropertyConfiguration) {
    config.renameProperty('Attributes to add to the HTTP Response (Regex)', P.headerRegex);
  },
  async onTrigger(context, session) {
    const ff = session.get();
    if (!ff) return;
    const id = ff.attributes[HTTP_CONTEXT_ID];
    if (id === undefined) {
      context.log.warn(`Failed to respond to HTTP request for ${ff.uuid} because FlowFile did not have an '${HTTP_CONTEXT_ID}' attribute`);
      session.transfer(ff, 'failure');
      return;
    }
    const statusText = context.get(PROPS[P.status], ff);
    if (!/^\d+$/.test(statusText) || Number(statusText) < 100 || Number(statusText) > 999) {
      context.log.error(`Failed to respond to HTTP request for ${ff.uuid} because status code was '${statusText}', which is not a valid number`);
      session.transfer(ff, 'failure');
      return;
    }
    const map = context.controllerService<HttpContextMap>(P.contextMap, HTTP_CONTEXT_MAP_API);
    const exchange = map.get(id);
    if (!exchange) {
      context.log.error(`Failed to respond to HTTP request for ${ff.uuid} because FlowFile had an '${HTTP_CONTEXT_ID}' attribute of ${id} but could not find an HTTP Response Object for this identifier`);
      session.transfer(ff, 'failure');
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of Object.keys(context.dynamicProperties())) {
      const value = context.property(name).evaluate(ff).asString() ?? '';
      if (value.trim() !== '') headers[name] = value;
    }
    const rx = context.cache('headerRegex', () => {
      const src = context.get(PROPS[P.headerRegex]);
      return src ? compileUserRegex(`^(?:${src})$`).re : null;
    });
    if (rx) {
      for (const [name, value] of Object.entries(ff.attributes)) {
        rx.lastIndex = 0;
        if (rx.test(name) && value.trim() !== '') headers[name] = value;
      }
    }
    for (const [name, value] of Object.entries(headers)) {
      if (!HEADER_NAME.test(name) || BAD_HEADER_VALUE.test(value)) {
        context.log.error(`Failed to respond to HTTP request for ${ff.uuid}: header '${name}' cannot be sent (an invalid name or a line break in its value)`);
        session.transfer(ff, 'failure');
        return;
      }
    }
    const started = context.services.clock.now();
    const body = await session.read(ff);
    if (!exchange.respond({ status: Number(statusText), headers, body })) {
      map.complete(id);
      context.log.error(`Failed to respond to HTTP request for ${ff.uuid}: the caller is gone`);
      session.transfer(ff, 'failure');
      return;
    }
    map.complete(id);
    session.provenance(ff, 'SEND', ff.attributes['http.request.url'] ?? 'http://unknown', `answered ${statusText} in ${context.services.clock.now() - started} ms`);
    context.log.info(`Successfully responded to HTTP Request for ${ff.uuid} with status code ${statusText}`);
    session.transfer(ff, 'success');
  },
});
