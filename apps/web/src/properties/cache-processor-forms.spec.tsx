/**
 * The designer's forms for DetectDuplicate, Wait and Notify and the map cache client services, from their real
 * descriptors: the cache service is a select of the flow's map cache clients, counts are checked as the server does.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/react';
import type { ControllerServiceSummary } from '@sluice/flow-api';
import { getControllerService, getProcessor } from '@sluice/processors';
import { field, FormHarness } from './form-harness.testing.js';

const cacheApis = ['DistributedMapCacheClient', 'AtomicDistributedMapCacheClient'];
const services: ControllerServiceSummary[] = [
  { id: 'cache', name: 'Cache', type: 'MapCacheClientService', implements: cacheApis, enabled: true },
  { id: 'legacy', name: 'NiFi 1 cache', type: 'DistributedMapCacheClientService', implements: cacheApis, enabled: false },
  { id: 'csv-in', name: 'ERP CSV', type: 'CSVReader', implements: ['RecordReaderFactory'], enabled: true },
];

const control = (name: string) => field(name)!.querySelector('input, select, textarea') as HTMLInputElement & HTMLSelectElement;
const messages = (name: string) => [...field(name)!.querySelectorAll('.field-error, .field-warning')].map((e) => e.textContent);
const options = (name: string) => [...control(name).querySelectorAll('option')].map((o) => o.textContent);
const harness = (type: string, initial?: Record<string, string>) => render(<FormHarness descriptor={getProcessor(type)!.descriptor} initial={initial} controllerServices={services} />);

describe('forms of the map cache processors', () => {
  it.each(['DetectDuplicate', 'Wait', 'Notify'])('%s: Distributed Cache Service offers only map cache clients, and says when one is disabled', (type) => {
    harness(type);
    expect(options('Distributed Cache Service')).toEqual(['— choose a service —', 'Cache (MapCacheClientService)', 'NiFi 1 cache (DistributedMapCacheClientService) — disabled']);
    expect(messages('Distributed Cache Service')).toEqual(['Distributed Cache Service is required']);
    fireEvent.change(control('Distributed Cache Service'), { target: { value: 'legacy' } });
    expect(messages('Distributed Cache Service')).toEqual(["Distributed Cache Service: controller service 'NiFi 1 cache' is disabled"]);
    fireEvent.change(control('Distributed Cache Service'), { target: { value: 'cache' } });
    expect(messages('Distributed Cache Service')).toEqual([]);
  });

  it('DetectDuplicate: Cache Entry Identifier starts at ${hash.value}; Age Off Duration must be a duration', () => {
    harness('DetectDuplicate', { 'Distributed Cache Service': 'cache' });
    expect(control('Cache Entry Identifier').value).toBe('${hash.value}');
    fireEvent.change(control('Age Off Duration'), { target: { value: 'two days' } });
    expect(messages('Age Off Duration').length).toBe(1);
    fireEvent.change(control('Age Off Duration'), { target: { value: '2 days' } });
    expect(messages('Age Off Duration')).toEqual([]);
  });

  it('Wait: counts take whole numbers or expressions; Wait Mode and Attribute Copy Mode are choices', () => {
    harness('Wait', { 'Distributed Cache Service': 'cache', 'Release Signal Identifier': '${batch}' });
    fireEvent.change(control('Target Signal Count'), { target: { value: '-2' } });
    expect(messages('Target Signal Count')[0]).toMatch(/whole number/);
    fireEvent.change(control('Target Signal Count'), { target: { value: '${fragment.count}' } });
    expect(messages('Target Signal Count')).toEqual([]);
    fireEvent.change(control('Wait Buffer Count'), { target: { value: '0' } });
    expect(messages('Wait Buffer Count').length).toBe(1);
    expect(options('Wait Mode')).toEqual(['Transfer to wait relationship', 'Keep in the upstream connection']);
    expect(options('Attribute Copy Mode')).toEqual(['Replace if present', 'Keep original']);
    expect(control('Expiration Duration').placeholder).toBe('10 min');
  });

  it('Notify: Attribute Cache Regular Expression must compile; Signal Counter Name starts at default', () => {
    harness('Notify', { 'Distributed Cache Service': 'cache', 'Release Signal Identifier': '${batch}' });
    expect(control('Signal Counter Name').placeholder).toBe('default');
    fireEvent.change(control('Attribute Cache Regular Expression'), { target: { value: '(' } });
    expect(messages('Attribute Cache Regular Expression').length).toBe(1);
    fireEvent.change(control('Attribute Cache Regular Expression'), { target: { value: 'file.*' } });
    expect(messages('Attribute Cache Regular Expression')).toEqual([]);
  });
});

describe('forms of the map cache client services', () => {
  it.each(['MapCacheClientService', 'DistributedMapCacheClientService'])('%s: hostname and port name the cache, with NiFi defaults', (type) => {
    render(<FormHarness descriptor={getControllerService(type)!.descriptor} />);
    expect(control('Server Hostname').placeholder).toBe('localhost');
    expect(control('Server Port').placeholder).toBe('4557');
    fireEvent.change(control('Server Port'), { target: { value: '70000' } });
    expect(messages('Server Port').length).toBe(1);
  });
});
