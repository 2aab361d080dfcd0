import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import type { ProcessorDescriptor } from '@sluice/flow-api';
import { SECRET_MASK as SENSITIVE_MASK } from '@sluice/contracts';
import { PropertyForm } from './PropertyForm.js';

const descriptor: ProcessorDescriptor = {
  type: 'DemoProcessor',
  version: 1,
  displayName: 'Demo',
  description: 'Exercises every widget.',
  category: 'utility',
  tags: [],
  inputRequirement: 'allowed',
  relationships: [{ name: 'success', description: 'ok' }],
  properties: [
    { name: 'Name', displayName: 'Name', description: 'free text', type: 'string', required: true },
    { name: 'Count', displayName: 'Count', description: 'a number', type: 'integer', default: '5' },
    { name: 'Enabled', displayName: 'Enabled', description: 'flag', type: 'boolean', default: 'false' },
    {
      name: 'Mode',
      displayName: 'Mode',
      description: 'choice',
      type: 'enum',
      default: 'simple',
      allowableValues: [
        { value: 'simple', displayName: 'Simple' },
        { value: 'advanced', displayName: 'Advanced' },
      ],
    },
    { name: 'Depth', displayName: 'Depth', description: 'only in advanced mode', type: 'integer', dependsOn: [{ property: 'Mode', values: ['advanced'] }] },
    { name: 'Timeout', displayName: 'Timeout', description: 'duration', type: 'duration', default: '30 sec' },
    { name: 'Max Size', displayName: 'Max Size', description: 'size', type: 'dataSize' },
    { name: 'Headers', displayName: 'Headers', description: 'dict', type: 'dict' },
    { name: 'Body', displayName: 'Body', description: 'json', type: 'json', editor: 'json' },
    { name: 'Script', displayName: 'Script', description: 'code', type: 'code', editor: 'python' },
    { name: 'URL', displayName: 'URL', description: 'EL', type: 'string', editor: 'el', expressionScope: 'flowfile' },
    { name: 'Password', displayName: 'Password', description: 'secret', type: 'string', sensitive: true },
  ],
  dynamicProperties: { description: 'Adds an attribute per property.', expressionScope: 'flowfile' },
};

function Harness({ initial = {}, readOnly = false, onChange }: { initial?: Record<string, string>; readOnly?: boolean; onChange?: (n: string, v: string | undefined) => void }) {
  const [values, setValues] = useState<Record<string, string>>(initial);
  return (
    <PropertyForm
      descriptor={descriptor}
      values={values}
      readOnly={readOnly}
      onChange={(name, value) => {
        onChange?.(name, value);
        setValues((v) => {
          const next = { ...v };
          if (value === undefined) delete next[name];
          else next[name] = value;
          return next;
        });
      }}
    />
  );
}

const field = (name: string) => document.querySelector(`[data-property="${name}"]`) as HTMLElement;

describe('PropertyForm', () => {
  it('renders a widget per property type', () => {
    render(<Harness />);
    expect(within(field('Name')).getByRole('textbox')).toBeTruthy();
    expect(within(field('Count')).getByRole('textbox').getAttribute('inputmode')).toBe('numeric');
    expect(within(field('Enabled')).getByRole('checkbox')).toBeTruthy();
    const select = within(field('Mode')).getByRole('combobox') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['', 'simple', 'advanced']);
    expect(within(field('Timeout')).getByRole('textbox').getAttribute('placeholder')).toBe('30 sec');
    expect(screen.getByTestId('kv-Headers')).toBeTruthy();
    expect(field('Body').querySelector('[data-language="json"]')).toBeTruthy();
    expect(field('Script').querySelector('[data-language="python"]')).toBeTruthy();
    expect(field('URL').querySelector('[data-language="el"]')).toBeTruthy();
    expect(within(field('URL')).getByText('EL')).toBeTruthy();
    expect(field('Password').querySelector('input[type="password"]')).toBeTruthy();
  });

  it('shows a property only while its dependsOn condition holds', () => {
    render(<Harness />);
    expect(field('Depth')).toBeNull();
    fireEvent.change(within(field('Mode')).getByRole('combobox'), { target: { value: 'advanced' } });
    expect(field('Depth')).not.toBeNull();
    fireEvent.change(within(field('Mode')).getByRole('combobox'), { target: { value: 'simple' } });
    expect(field('Depth')).toBeNull();
  });

  it('validates as the user types, with the shared validateConfig messages', () => {
    render(<Harness initial={{ Name: 'x' }} />);
    expect(within(field('Count')).queryByRole('alert')).toBeNull();
    fireEvent.change(within(field('Count')).getByRole('textbox'), { target: { value: 'twelve' } });
    expect(within(field('Count')).getByRole('alert').textContent).toContain("'twelve' is not a whole number");
    fireEvent.change(within(field('Timeout')).getByRole('textbox'), { target: { value: 'soon' } });
    expect(within(field('Timeout')).getByRole('alert').textContent).toContain('is not a duration');
    fireEvent.change(within(field('Max Size')).getByRole('textbox'), { target: { value: '3 parsecs' } });
    expect(within(field('Max Size')).getByRole('alert').textContent).toContain('is not a data size');
    fireEvent.change(within(field('Count')).getByRole('textbox'), { target: { value: '12' } });
    expect(within(field('Count')).queryByRole('alert')).toBeNull();
  });

  it('reports a missing required value and EL syntax errors with their position', () => {
    render(<Harness initial={{ URL: 'http://x/${filename:toUpper(}' }} />);
    expect(field('Name').textContent).toContain('Name is required');
    const err = within(field('URL')).getByRole('alert').textContent!;
    expect(err).toMatch(/^URL: /);
    expect(err).toMatch(/line 1, column \d+/);
  });

  it('keeps a stored secret masked and untouched until a new value is typed', () => {
    const onChange = vi.fn();
    render(<Harness initial={{ Name: 'n', Password: SENSITIVE_MASK }} onChange={onChange} />);
    const masked = within(field('Password')).getByLabelText('Password (stored)') as HTMLInputElement;
    expect(masked.type).toBe('password');
    expect(masked.readOnly).toBe(true);
    fireEvent.click(within(field('Password')).getByText('Change'));
    const input = field('Password').querySelector('input') as HTMLInputElement;
    expect(input.value).toBe('');
    fireEvent.change(input, { target: { value: 's3cret' } });
    expect(onChange).toHaveBeenLastCalledWith('Password', 's3cret');
    fireEvent.change(input, { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith('Password', SENSITIVE_MASK);
  });

  it('edits a dict property as key/value rows stored as a JSON object', () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    fireEvent.click(within(field('Headers')).getByText('+ Add entry'));
    fireEvent.change(screen.getByLabelText('Headers key 1'), { target: { value: 'Accept' } });
    fireEvent.change(screen.getByLabelText('Headers value 1'), { target: { value: 'application/json' } });
    expect(onChange).toHaveBeenLastCalledWith('Headers', '{"Accept":"application/json"}');
  });

  it('adds and removes dynamic properties', () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    fireEvent.change(screen.getByLabelText('New property name'), { target: { value: 'erp.token' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(onChange).toHaveBeenLastCalledWith('erp.token', '');
    expect(field('erp.token')).not.toBeNull();
    fireEvent.change(screen.getByLabelText('New property name'), { target: { value: 'Name' } });
    expect(screen.getByText("A property named 'Name' already exists")).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Remove erp.token'));
    expect(onChange).toHaveBeenLastCalledWith('erp.token', undefined);
    expect(field('erp.token')).toBeNull();
  });

  it('renders read-only for viewers', () => {
    render(<Harness readOnly initial={{ Name: 'n' }} />);
    expect((within(field('Name')).getByRole('textbox') as HTMLInputElement).readOnly).toBe(true);
    expect((within(field('Enabled')).getByRole('checkbox') as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByLabelText('New property name')).toBeNull();
  });
});
