import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { api, type ScriptTestResult } from '../api/client.js';
import { ScriptPane } from './ScriptPane.js';

const base: ScriptTestResult = { output: '', attributes: {}, relationship: 'success', logs: [], durationMs: 12, created: [] };

describe('ScriptPane', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows where the FlowFile went and its content', async () => {
    vi.spyOn(api, 'testScript').mockResolvedValue({ ...base, output: '{"sku":"1"}', attributes: { checked: 'yes' } });
    render(<ScriptPane script="pass" language="python" sample={null} />);
    fireEvent.click(screen.getByTestId('run-script'));
    expect((await screen.findByTestId('result-relationship')).textContent).toBe('success');
    expect(screen.getByTestId('script-output').textContent).toBe('{\n  "sku": "1"\n}');
    expect(screen.getByText('checked')).toBeTruthy();
  });

  it('renders an uncaught script error (an object from the API) as its traceback', async () => {
    vi.spyOn(api, 'testScript').mockResolvedValue({
      ...base,
      relationship: 'failure',
      error: { kind: 'exception', message: 'ValueError: boom', traceback: 'Traceback (most recent call last):\nValueError: boom' },
    });
    render(<ScriptPane script="raise ValueError('boom')" language="python" sample={null} />);
    fireEvent.click(screen.getByTestId('run-script'));
    expect((await screen.findByTestId('script-error')).textContent).toContain('ValueError: boom');
    expect(screen.getByTestId('result-relationship').textContent).toBe('failure');
  });

  it('says the FlowFile was removed when the script transferred none', async () => {
    vi.spyOn(api, 'testScript').mockResolvedValue({ ...base, output: null, relationship: null });
    render(<ScriptPane script="session.remove(session.get())" language="python" sample={null} />);
    fireEvent.click(screen.getByTestId('run-script'));
    expect((await screen.findByTestId('result-relationship')).textContent).toBe('removed');
    expect(screen.queryByTestId('script-output')).toBeNull();
  });
});
