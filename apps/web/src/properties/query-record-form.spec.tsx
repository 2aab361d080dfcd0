/** The designer's QueryRecord form from its real descriptor: reader and writer selects, queries as routes. */
import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import type { ControllerServiceSummary } from '@sluice/flow-api';
import { getProcessor } from '@sluice/processors';
import { addDynamic, field, FormHarness } from './form-harness.testing.js';

const services: ControllerServiceSummary[] = [
  { id: 'csv-in', name: 'ERP CSV', type: 'CSVReader', implements: ['RecordReaderFactory'], enabled: true },
  { id: 'json-out', name: 'JSON', type: 'JsonRecordSetWriter', implements: ['RecordSetWriterFactory'], enabled: true },
];
const control = (name: string) => field(name)!.querySelector('input, select, textarea') as HTMLInputElement & HTMLSelectElement;
const options = (name: string) => [...control(name).querySelectorAll('option')].map((o) => o.textContent);

describe('the QueryRecord form', () => {
  it('offers the fitting services, NiFi defaults, and takes each query as a route of its name', () => {
    render(<FormHarness descriptor={getProcessor('QueryRecord')!.descriptor} controllerServices={services} initial={{ 'Record Reader': 'csv-in', 'Record Writer': 'json-out' }} />);
    expect(options('Record Reader')).toEqual(['— choose a service —', 'ERP CSV (CSVReader)']);
    expect(options('Record Writer')).toEqual(['— choose a service —', 'JSON (JsonRecordSetWriter)']);
    expect(control('Include Zero Record FlowFiles').value).toBe('true');
    expect(control('Default Decimal Precision').placeholder).toBe('10');
    expect(screen.getByText('Routes (dynamic properties)')).toBeTruthy();
    addDynamic('in stock', 'SELECT * FROM FLOWFILE WHERE stock > 0');
    expect(control('in stock').value).toBe('SELECT * FROM FLOWFILE WHERE stock > 0');
  });
});
