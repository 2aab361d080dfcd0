/**
 * The designer's forms for the record processors and their controller services, from their real descriptors (as
 * GET /api/processor-types and /api/controller-service-types serve them; this spec reads them from the catalogues):
 * a service property is a select of the flow's services that fit, checked as the server checks it.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/react';
import type { ControllerServiceDescriptor, ControllerServiceSummary, ProcessorDescriptor } from '@sluice/flow-api';
import { getControllerService, getProcessor } from '@sluice/processors';
import { field, FormHarness } from './form-harness.testing.js';

const services: ControllerServiceSummary[] = [
  { id: 'csv-in', name: 'ERP CSV', type: 'CSVReader', implements: ['RecordReaderFactory'], enabled: true },
  { id: 'json-in', name: 'Old JSON', type: 'JsonTreeReader', implements: ['RecordReaderFactory'], enabled: false },
  { id: 'json-out', name: 'JSON', type: 'JsonRecordSetWriter', implements: ['RecordSetWriterFactory'], enabled: true },
];

function Harness({ descriptor, initial }: { descriptor: ProcessorDescriptor | ControllerServiceDescriptor; initial?: Record<string, string> }) {
  return <FormHarness descriptor={descriptor} initial={initial} controllerServices={services} />;
}

const control = (name: string) => field(name)!.querySelector('input, select, textarea') as HTMLSelectElement;
const messages = (name: string) => [...field(name)!.querySelectorAll('.field-error, .field-warning')].map((e) => e.textContent);
const options = (name: string) => [...control(name).querySelectorAll('option')].map((o) => o.textContent);

describe('forms of the record processors', () => {
  it.each(['ConvertRecord', 'SplitRecord', 'MergeRecord'])('%s: Record Reader and Record Writer offer only the fitting services', (type) => {
    render(<Harness descriptor={getProcessor(type)!.descriptor} />);
    expect(control('Record Reader').tagName).toBe('SELECT');
    expect(options('Record Reader')).toEqual(['— choose a service —', 'ERP CSV (CSVReader)', 'Old JSON (JsonTreeReader) — disabled']);
    expect(options('Record Writer')).toEqual(['— choose a service —', 'JSON (JsonRecordSetWriter)']);
    expect(messages('Record Reader')).toEqual(['Record Reader is required']);
  });

  it('ConvertRecord: choosing a disabled service says so beside the property; an enabled one clears it', () => {
    render(<Harness descriptor={getProcessor('ConvertRecord')!.descriptor} initial={{ 'Record Writer': 'json-out' }} />);
    fireEvent.change(control('Record Reader'), { target: { value: 'json-in' } });
    expect(messages('Record Reader')).toEqual(["Record Reader: controller service 'Old JSON' is disabled"]);
    fireEvent.change(control('Record Reader'), { target: { value: 'csv-in' } });
    expect(messages('Record Reader')).toEqual([]);
  });

  it('a reference to a service the flow no longer has stays visible and is reported', () => {
    render(<Harness descriptor={getProcessor('SplitRecord')!.descriptor} initial={{ 'Record Reader': 'gone', 'Record Writer': 'json-out', 'Records Per Split': '10' }} />);
    expect(control('Record Reader').value).toBe('gone');
    expect(messages('Record Reader')).toEqual(["Record Reader: controller service 'gone' does not exist in this flow"]);
  });

  it('MergeRecord: bin-packing fields show for Bin-Packing Algorithm and hide for Defragment', () => {
    render(<Harness descriptor={getProcessor('MergeRecord')!.descriptor} />);
    expect(field('Minimum Number of Records')).not.toBeNull();
    fireEvent.change(control('Merge Strategy'), { target: { value: 'Defragment' } });
    expect(field('Minimum Number of Records')).toBeNull();
    expect(field('Max Bin Age')).not.toBeNull();
  });
});

describe('forms of the record controller services', () => {
  it('CSVReader: the custom separators show only for Custom Format, Schema Text only for its strategy', () => {
    render(<Harness descriptor={getControllerService('CSVReader')!.descriptor} />);
    expect(field('Value Separator')).not.toBeNull();
    expect(field('Schema Text')).toBeNull();
    fireEvent.change(control('CSV Format'), { target: { value: 'rfc-4180' } });
    expect(field('Value Separator')).toBeNull();
    fireEvent.change(control('Schema Access Strategy'), { target: { value: 'schema-text-property' } });
    expect(field('Schema Text')).not.toBeNull();
  });

  it('XMLRecordSetWriter: Array Tag Name is asked for once arrays are wrapped', () => {
    render(<Harness descriptor={getControllerService('XMLRecordSetWriter')!.descriptor} />);
    expect(field('Array Tag Name')).toBeNull();
    fireEvent.change(control('Wrap Elements of Arrays'), { target: { value: 'use-property-as-wrapper' } });
    expect(messages('Array Tag Name')).toEqual(['Array Tag Name is required']);
  });
});
