import { fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { validateProcessor, type ControllerServiceDescriptor, type ControllerServiceSummary, type ProcessorDefinition, type ProcessorDescriptor } from '@sluice/flow-api';
import { getProcessor } from '@sluice/processors';
import { PropertyForm } from './PropertyForm.js';

/** Spec support for the form specs: a PropertyForm that keeps its values, as the inspector does. */
export function FormHarness({
  descriptor,
  initial = {},
  validate,
  controllerServices,
}: {
  descriptor: ProcessorDescriptor | ControllerServiceDescriptor;
  initial?: Record<string, string>;
  /** What the server answers on save, shown beside the fields. */
  validate?: (values: Record<string, string>) => ReturnType<typeof validateProcessor>;
  controllerServices?: ControllerServiceSummary[];
}) {
  const [values, setValues] = useState<Record<string, string>>(initial);
  return (
    <PropertyForm
      descriptor={descriptor}
      values={values}
      extraErrors={validate?.(values)}
      controllerServices={controllerServices}
      onChange={(name, value) =>
        setValues((v) => {
          const next = { ...v };
          if (value === undefined) delete next[name];
          else next[name] = value;
          return next;
        })
      }
    />
  );
}

export const definition = (type: string) => getProcessor(type) as ProcessorDefinition;

/** A processor's form checked as the server checks a save: validateProcessor, cross-property checks included. */
export function ProcessorFormHarness({ type, initial }: { type: string; initial?: Record<string, string> }) {
  const def = definition(type);
  return <FormHarness descriptor={def.descriptor} initial={initial} validate={(values) => validateProcessor(def, values)} />;
}

export const field = (name: string) => document.querySelector(`[data-property="${name}"]`) as HTMLElement | null;
export const input = (name: string) => field(name)!.querySelector('input, select, textarea') as HTMLInputElement;
// Declared fields show errors as alerts; dynamic rows as field-error lines.
export const alerts = (name: string) => [...field(name)!.querySelectorAll('[role=alert], .field-error')].map((a) => a.textContent);
export const addDynamic = (name: string, value: string) => {
  fireEvent.change(screen.getByLabelText('New property name'), { target: { value: name } });
  fireEvent.click(screen.getByText('Add'));
  fireEvent.change(input(name), { target: { value } });
};
