import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { api, type MappingTestResult } from '../api/client.js';
import { MappingPane } from './MappingPane.js';

const base: MappingTestResult = { relationship: 'success', content: '', output: null, attributes: {}, error: null, warnings: [], warningCount: 0 };
const properties = { 'Jolt Transform': 'jolt-transform-shift', 'Jolt Specification': '{"a": "b"} // renamed' };

describe('MappingPane', () => {
  afterEach(() => vi.restoreAllMocks());

  it("sends the step's properties and the input as typed, and shows the processor's text as it wrote it", async () => {
    const spy = vi.spyOn(api, 'testMapping').mockResolvedValue({ ...base, content: '{"b":10.0,"3":1,"1":2}', warnings: [{ kind: 'unmatched-input', operationIndex: 0, path: 'c', message: 'input "c" is dropped' }], warningCount: 1 });
    const sample = { uuid: 'abcdef0123', attributes: { sku: 'A' }, content: '{"a": 10.0, "c": 1}' };
    render(<MappingPane properties={properties} parameters={{ 'omnitron.url': 'u' }} sample={sample} />);
    fireEvent.click(screen.getByTestId('run-mapping'));
    expect((await screen.findByTestId('mapping-output')).textContent).toBe('{"b":10.0,"3":1,"1":2}');
    expect(spy).toHaveBeenCalledWith({ properties, parameters: { 'omnitron.url': 'u' }, input: '{"a": 10.0, "c": 1}', attributes: { sku: 'A' } });
    expect(screen.getByTestId('mapping-relationship').textContent).toBe('success');
    expect(screen.getByText('input "c" is dropped', { exact: false })).toBeTruthy();
  });

  it('shows where a failing FlowFile went and why', async () => {
    vi.spyOn(api, 'testMapping').mockResolvedValue({ ...base, relationship: 'failure', content: 'not json', error: 'content is not JSON: Invalid JSON at line 1, column 1' });
    render(<MappingPane properties={properties} parameters={{}} sample={null} />);
    fireEvent.click(screen.getByTestId('run-mapping'));
    expect((await screen.findByTestId('mapping-error')).textContent).toMatch(/content is not JSON/);
    expect(screen.getByTestId('mapping-relationship').textContent).toBe('failure');
  });
});
