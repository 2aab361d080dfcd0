/**
 * The designer's forms for ListenHTTP, HandleHttpRequest, HandleHttpResponse and the StandardHttpContextMap, from
 * their real descriptors (as GET /api/processor-types and /api/controller-service-types serve them): every visible
 * property has its field, the context map is a select of the flow's fitting services, TLS fields follow the SSL
 * Context Service, and the server's checks show beside the field.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/react';
import { validateControllerService, validateProcessor, type ControllerServiceSummary, type ProcessorDefinition } from '@sluice/flow-api';
import { getControllerService, getProcessor } from '@sluice/processors';
import { addDynamic, field, FormHarness } from './form-harness.testing.js';

const services: ControllerServiceSummary[] = [
  { id: 'ctx', name: 'Requests', type: 'StandardHttpContextMap', implements: ['HttpContextMap'], enabled: true },
  { id: 'csv', name: 'CSV', type: 'CSVReader', implements: ['RecordReaderFactory'], enabled: true },
];

function Harness({ type, initial }: { type: string; initial?: Record<string, string> }) {
  const def = getProcessor(type) as ProcessorDefinition;
  const summaries = new Map(services.map((s) => [s.id, s]));
  return <FormHarness descriptor={def.descriptor} initial={initial} controllerServices={services} validate={(values) => validateProcessor(def, values, { controllerServices: summaries })} />;
}

const control = (name: string) => field(name)!.querySelector('input, select, textarea') as HTMLSelectElement;
const messages = (name: string) => [...field(name)!.querySelectorAll('[role=alert], .field-error, .field-warning')].map((e) => e.textContent);
const options = (name: string) => [...control(name).querySelectorAll('option')].map((o) => o.textContent);

describe('forms of the HTTP listeners', () => {
  it.each(['ListenHTTP', 'HandleHttpRequest', 'HandleHttpResponse'])('%s renders a field for every property whose condition holds', (type) => {
    render(<Harness type={type} />);
    for (const p of getProcessor(type)!.descriptor.properties.filter((x) => !x.dependsOn)) expect(field(p.name), `${type}.${p.name}`).not.toBeNull();
  });

  it('ListenHTTP: asks for the port, refuses one out of range and a health port equal to it, TLS fields only with an SSL Context Service', () => {
    render(<Harness type="ListenHTTP" />);
    expect(messages('Listening Port').join()).toContain('Listening Port is required');
    fireEvent.change(control('Listening Port'), { target: { value: '70000' } });
    expect(messages('Listening Port').join()).toContain("'70000' is not a port number (1 to 65535)");
    fireEvent.change(control('Listening Port'), { target: { value: '#{webhook.port}' } });
    expect(messages('Listening Port').join()).not.toContain('not a port number');
    fireEvent.change(control('Listening Port'), { target: { value: '8081' } });
    fireEvent.change(control('Listening Port for Health Check Requests'), { target: { value: '8081' } });
    expect(messages('Listening Port for Health Check Requests').join()).toContain('cannot have the same value');
    expect(field('Client Authentication')).toBeNull();
    expect(field('Record Writer')).toBeNull();
    fireEvent.change(control('Record Reader'), { target: { value: 'csv' } });
    expect(messages('Record Reader').join()).toContain('record processing of received requests is not supported');
  });

  it('HandleHttpRequest: the HTTP Context Map offers only context maps and is required', () => {
    render(<Harness type="HandleHttpRequest" />);
    expect(control('HTTP Context Map').tagName).toBe('SELECT');
    expect(options('HTTP Context Map')).toEqual(['— choose a service —', 'Requests (StandardHttpContextMap)']);
    expect(messages('HTTP Context Map').join()).toContain('HTTP Context Map is required');
    fireEvent.change(control('HTTP Context Map'), { target: { value: 'ctx' } });
    expect(messages('HTTP Context Map')).toEqual([]);
    expect(field('HTTP Protocols')).toBeNull();
  });

  it('HandleHttpResponse: status code required, header properties added as user-added rows', () => {
    render(<Harness type="HandleHttpResponse" initial={{ 'HTTP Context Map': 'ctx' }} />);
    expect(messages('HTTP Status Code').join()).toContain('HTTP Status Code is required');
    fireEvent.change(control('HTTP Status Code'), { target: { value: '${invokehttp.status.code}' } });
    expect(messages('HTTP Status Code')).toEqual([]);
    addDynamic('Content-Type', '${mime.type}');
    expect(field('Content-Type')).not.toBeNull();
  });

  it('StandardHttpContextMap: refuses a Maximum Outstanding Requests below 1 and a Request Expiration that is not a duration', () => {
    render(<FormHarness descriptor={getControllerService('StandardHttpContextMap')!.descriptor} />);
    fireEvent.change(control('Maximum Outstanding Requests'), { target: { value: '0' } });
    expect(messages('Maximum Outstanding Requests').length).toBeGreaterThan(0);
    fireEvent.change(control('Request Expiration'), { target: { value: 'soon' } });
    expect(messages('Request Expiration').join()).toContain('is not a duration');
  });

  it('StandardOauth2AccessTokenProvider: the grant decides which credentials are asked for; secrets are password fields', () => {
    render(<FormHarness descriptor={getControllerService('StandardOauth2AccessTokenProvider')!.descriptor} />);
    expect(field('Username')).not.toBeNull();
    expect(control('Password').type).toBe('password');
    expect(field('Client Secret')).toBeNull();
    fireEvent.change(control('Grant Type'), { target: { value: 'client_credentials' } });
    expect(field('Username')).toBeNull();
    fireEvent.change(control('Client ID'), { target: { value: 'sluice' } });
    expect(control('Client Secret').type).toBe('password');
    fireEvent.change(control('Grant Type'), { target: { value: 'refresh_token' } });
    expect(field('Refresh Token')).not.toBeNull();
  });

  it('StandardSSLContextService: passwords and types follow the store files; JKS is refused beside Keystore Type', () => {
    const def = getControllerService('StandardSSLContextService')!;
    render(<FormHarness descriptor={def.descriptor} validate={(values) => validateControllerService(def, values)} />);
    expect(field('Keystore Password')).toBeNull();
    fireEvent.change(control('Keystore Filename'), { target: { value: '/etc/sluice/server.jks' } });
    expect(control('Keystore Password').type).toBe('password');
    expect(options('Keystore Type')).toEqual(['PKCS12', 'PEM', 'JKS', 'BCFKS']);
    fireEvent.change(control('Keystore Password'), { target: { value: 'pw' } });
    fireEvent.change(control('Keystore Type'), { target: { value: 'JKS' } });
    expect(messages('Keystore Type').join()).toContain('Keystore Type JKS is not supported: Node.js cannot read JKS keystores');
    fireEvent.change(control('Keystore Type'), { target: { value: 'PKCS12' } });
    expect(messages('Keystore Type')).toEqual([]);
  });
});
