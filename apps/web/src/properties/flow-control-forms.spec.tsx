/**
 * The designer's forms for the HTTP and flow-control processors (InvokeHTTP, MergeContent, ControlRate,
 * RetryFlowFile), rendered from their real descriptors as GET /api/processor-types serves them: every visible
 * property has its field, fields follow the choices they depend on, and the server's checks show beside the field.
 */
import { describe, expect, it } from 'vitest';
import { fireEvent, render } from '@testing-library/react';
import { addDynamic, alerts, definition, field, input, ProcessorFormHarness as Harness } from './form-harness.testing.js';

const TYPES = ['InvokeHTTP', 'MergeContent', 'ControlRate', 'RetryFlowFile'];

describe('forms of the HTTP and flow-control processors', () => {
  it.each(TYPES)('%s renders a field for every property whose condition holds', (type) => {
    render(<Harness type={type} />);
    const { properties } = definition(type).descriptor;
    const visible = properties.filter((p) => !p.dependsOn);
    expect(visible.length).toBeGreaterThan(0);
    for (const p of visible) expect(field(p.name), `${type}.${p.name}`).not.toBeNull();
  });

  it('InvokeHTTP: asks for the URL, shows body fields for POST only, refuses services and takes header properties', () => {
    render(<Harness type="InvokeHTTP" />);
    expect(field('HTTP URL')!.textContent).toContain('HTTP URL is required');
    fireEvent.change(input('HTTP URL'), { target: { value: 'http://erp.example.com/api/stock' } });
    expect(field('HTTP URL')!.textContent).not.toContain('is required');
    expect(field('Request Content-Type')).toBeNull();
    fireEvent.change(input('HTTP Method'), { target: { value: 'POST' } });
    expect(field('Request Content-Type')).not.toBeNull();
    expect(field('Request Body Enabled')).not.toBeNull();
    expect(field('Response Body Attribute Size')).toBeNull();
    fireEvent.change(input('Response Body Attribute Name'), { target: { value: 'erp.body' } });
    expect(field('Response Body Attribute Size')).not.toBeNull();
    fireEvent.change(input('Proxy Configuration Service'), { target: { value: 'proxy' } });
    expect(alerts('Proxy Configuration Service').join()).toContain('Sluice has no proxy controller services');
    fireEvent.change(input('Connection Timeout'), { target: { value: 'soon' } });
    expect(alerts('Connection Timeout').join()).toContain('is not a duration');
    addDynamic('X-Tenant', '${tenant}');
    expect(alerts('X-Tenant')).toEqual([]);
  });

  it('MergeContent: delimiters only with Text, bin-packing fields hidden for Defragment, refuses formats and min above max', () => {
    render(<Harness type="MergeContent" />);
    expect(field('Header')).toBeNull();
    fireEvent.change(input('Delimiter Strategy'), { target: { value: 'Text' } });
    expect(field('Header')).not.toBeNull();
    expect(field('Demarcator')).not.toBeNull();
    fireEvent.change(input('Minimum Number of Entries'), { target: { value: '5000' } });
    expect(alerts('Minimum Number of Entries').join()).toContain('Min Entries must be less than or equal to Max Entries');
    fireEvent.change(input('Maximum Number of Entries'), { target: { value: '5000' } });
    expect(alerts('Minimum Number of Entries')).toEqual([]);
    fireEvent.change(input('Merge Format'), { target: { value: 'Avro' } });
    expect(alerts('Merge Format').join()).toContain("'Avro' is not supported");
    fireEvent.change(input('Merge Format'), { target: { value: 'ZIP' } });
    expect(alerts('Merge Format')).toEqual([]);
    expect(field('Header')).toBeNull();
    expect(field('Keep Path')).not.toBeNull();
    expect(field('Compression Level')).not.toBeNull();
    expect(field('Tar Modified Time')).toBeNull();
    fireEvent.change(input('Merge Format'), { target: { value: 'TAR' } });
    expect(field('Tar Modified Time')).not.toBeNull();
    expect(field('Compression Level')).toBeNull();
    fireEvent.change(input('Merge Format'), { target: { value: 'Binary Concatenation' } });
    fireEvent.change(input('Merge Strategy'), { target: { value: 'Defragment' } });
    expect(field('Minimum Number of Entries')).toBeNull();
    expect(field('Correlation Attribute Name')).toBeNull();
    expect(field('Max Bin Age')).not.toBeNull();
  });

  it('ControlRate: Maximum Rate checked against the criteria, and the two rates for data or count', () => {
    render(<Harness type="ControlRate" />);
    fireEvent.change(input('Maximum Rate'), { target: { value: '100' } });
    expect(alerts('Maximum Rate').join()).toContain('is not a data size');
    fireEvent.change(input('Rate Control Criteria'), { target: { value: 'flowfile count' } });
    expect(alerts('Maximum Rate')).toEqual([]);
    expect(field('Maximum Data Rate')).toBeNull();
    fireEvent.change(input('Rate Control Criteria'), { target: { value: 'data rate or flowfile count' } });
    expect(field('Maximum Rate')).toBeNull();
    expect(field('Maximum Data Rate')).not.toBeNull();
    expect(field('Maximum FlowFile Rate')).not.toBeNull();
    fireEvent.change(input('Rate Control Criteria'), { target: { value: 'attribute value' } });
    expect(field('Rate Controlled Attribute')).not.toBeNull();
  });

  it('RetryFlowFile: refuses a Maximum Retries below 1, takes attributes for retries_exceeded', () => {
    render(<Harness type="RetryFlowFile" />);
    fireEvent.change(input('Maximum Retries'), { target: { value: '0' } });
    expect(alerts('Maximum Retries').join()).toContain('must be a whole number from 1 to 2147483647');
    fireEvent.change(input('Maximum Retries'), { target: { value: '${retry.max}' } });
    expect(alerts('Maximum Retries')).toEqual([]);
    addDynamic('gave.up', '${now()}');
    expect(alerts('gave.up')).toEqual([]);
  });
});
