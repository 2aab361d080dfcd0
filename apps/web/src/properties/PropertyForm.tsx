import { useMemo, useRef, useState, type ReactNode } from 'react';
import { checkExpression } from '@sluice/expression';
import {
  conditionHolds,
  defaultValues,
  validateConfig,
  type ControllerServiceDescriptor,
  type ControllerServiceSummary,
  type ProcessorDescriptor,
  type PropertyDescriptor,
  type ValidationResult,
} from '@sluice/flow-api';
import { SECRET_MASK } from '@sluice/contracts';
import { KeyValueEditor } from './KeyValueEditor.js';
import { useCodeEditor, type CodeLanguage } from './code-editor-slot.js';

export interface PropertyFormProps {
  descriptor: ProcessorDescriptor | ControllerServiceDescriptor;
  values: Readonly<Record<string, string>>;
  /** `undefined` removes the property (falls back to the default). */
  onChange: (name: string, value: string | undefined) => void;
  readOnly?: boolean;
  /** Extra messages (from the server) by property name. */
  extraErrors?: readonly { property: string | null; message: string }[];
  /** The processor's problems as the designer shows them; when given, the form shows exactly these. */
  issues?: readonly ValidationResult[];
  /** Rendered under an EL-capable field, e.g. a "test expression" button. */
  renderFieldTools?: (p: PropertyDescriptor, value: string) => ReactNode;
  /** The flow's controller services: a property naming one is a select of those that fit, checked like the server does. */
  controllerServices?: readonly ControllerServiceSummary[];
}

const codeLanguage = (p: PropertyDescriptor): CodeLanguage | null => {
  switch (p.editor) {
    case 'python':
    case 'javascript':
    case 'json':
    case 'jolt':
      return p.editor;
    case 'el':
      return 'el';
    default:
      if (p.type === 'code') return 'javascript';
      if (p.type === 'json') return 'json';
      return null;
  }
};

/** Renders any processor's properties from its descriptor alone, with live validation from validateConfig. */
export function PropertyForm({ descriptor, values, onChange, readOnly, extraErrors, issues: given, renderFieldTools, controllerServices }: PropertyFormProps) {
  const defaults = useMemo(() => defaultValues(descriptor), [descriptor]);
  const services = useMemo(() => (controllerServices ? new Map(controllerServices.map((s) => [s.id, s])) : undefined), [controllerServices]);
  const issues = useMemo(() => given ?? validateConfig(descriptor, values, { checkExpression, controllerServices: services }), [given, descriptor, values, services]);
  const byProperty = useMemo(() => {
    const m = new Map<string | null, ValidationResult[]>();
    for (const i of [...issues, ...(extraErrors ?? [])]) {
      const list = m.get(i.property) ?? [];
      if (!list.some((x) => x.message === i.message)) list.push(i as ValidationResult);
      m.set(i.property, list);
    }
    return m;
  }, [issues, extraErrors]);

  const visible = descriptor.properties.filter((p) => !p.dependsOn || p.dependsOn.every((c) => conditionHolds(c, values, defaults)));
  const groups = new Map<string, PropertyDescriptor[]>();
  for (const p of visible) {
    const g = p.group ?? '';
    groups.set(g, [...(groups.get(g) ?? []), p]);
  }
  const known = new Set(descriptor.properties.map((p) => p.name));
  const dynamicNames = Object.keys(values).filter((k) => !known.has(k));

  return (
    <div className="prop-form" data-testid="property-form">
      {(byProperty.get(null) ?? []).map((i) => (
        <div key={i.message} className="field-error block">{i.message}</div>
      ))}
      {[...groups.entries()].map(([group, props]) => (
        <fieldset className="prop-group" key={group || '_'}>
          {group && <legend>{group}</legend>}
          {props.map((p) => (
            <PropertyField
              key={p.name}
              p={p}
              value={values[p.name]}
              errors={byProperty.get(p.name) ?? []}
              readOnly={readOnly}
              onChange={(v) => onChange(p.name, v)}
              tools={renderFieldTools?.(p, values[p.name] ?? p.default ?? '')}
              services={controllerServices}
            />
          ))}
        </fieldset>
      ))}
      {descriptor.dynamicProperties && (
        <DynamicProperties
          descriptor={descriptor as ProcessorDescriptor}
          names={dynamicNames}
          values={values}
          readOnly={readOnly}
          errors={byProperty}
          onChange={onChange}
          known={known}
        />
      )}
    </div>
  );
}

function PropertyField({
  p,
  value,
  errors,
  readOnly,
  onChange,
  tools,
  services,
}: {
  p: PropertyDescriptor;
  value: string | undefined;
  errors: readonly ValidationResult[];
  readOnly?: boolean;
  onChange: (v: string | undefined) => void;
  tools?: ReactNode;
  services?: readonly ControllerServiceSummary[];
}) {
  const id = `prop-${p.name.replace(/[^\w-]/g, '_')}`;
  const required = errors.some((e) => e.code === 'required');
  return (
    <div className={`prop-field${errors.length ? (required ? ' has-warning' : ' has-error') : ''}`} data-property={p.name}>
      <label htmlFor={id} className="prop-label">
        <span>{p.displayName}</span>
        {p.required && <span className="req" title="Required">*</span>}
        {(p.expressionScope ?? 'none') !== 'none' && <span className="el-chip" title={`Supports expression language (${p.expressionScope} scope)`}>EL</span>}
        <span className="help" title={p.description}>?</span>
      </label>
      {p.identifiesControllerService ? (
        <ServiceSelect p={p} id={id} value={value} readOnly={readOnly} onChange={onChange} services={services ?? []} />
      ) : (
        <Widget p={p} id={id} value={value} readOnly={readOnly} onChange={onChange} errors={errors} />
      )}
      {tools}
      {errors.map((e) => (
        <div key={e.message} className={e.code === 'required' ? 'field-warning' : 'field-error'} role={e.code === 'required' ? undefined : 'alert'}>
          {e.message}
          {e.line !== undefined && e.column !== undefined && <span className="muted"> (line {e.line}, column {e.column})</span>}
        </div>
      ))}
    </div>
  );
}

function Widget({
  p,
  id,
  value,
  readOnly,
  onChange,
  errors,
}: {
  p: PropertyDescriptor;
  id: string;
  value: string | undefined;
  readOnly?: boolean;
  onChange: (v: string | undefined) => void;
  errors?: readonly ValidationResult[];
}) {
  const CodeEditor = useCodeEditor();
  const text = (v: string) => onChange(v === '' ? undefined : v);

  if (p.sensitive || p.editor === 'password') return <SensitiveInput id={id} p={p} value={value} readOnly={readOnly} onChange={onChange} />;

  switch (p.type) {
    case 'boolean': {
      const effective = value ?? p.default ?? 'false';
      return (
        <label className="switch">
          <input id={id} type="checkbox" checked={effective === 'true'} disabled={readOnly} onChange={(e) => onChange(e.target.checked ? 'true' : 'false')} />
          <span>{effective === 'true' ? 'Yes' : 'No'}</span>
        </label>
      );
    }
    case 'enum':
      return (
        <select id={id} value={value ?? p.default ?? ''} disabled={readOnly} onChange={(e) => text(e.target.value)}>
          {(!p.required || p.default === undefined) && <option value="">{p.default === undefined ? '— not set —' : `Default (${p.default})`}</option>}
          {p.allowableValues?.map((a) => (
            <option key={a.value} value={a.value} title={a.description}>
              {a.displayName}
            </option>
          ))}
        </select>
      );
    case 'dict':
      return <KeyValueEditor name={p.name} value={value} readOnly={readOnly} onChange={onChange} />;
    default:
      break;
  }
  if (p.editor === 'keyValue') return <KeyValueEditor name={p.name} value={value} readOnly={readOnly} onChange={onChange} />;

  const lang = codeLanguage(p);
  if (lang) {
    return (
      <div className={`code-field lang-${lang}`} id={id}>
        <CodeEditor
          value={value ?? p.default ?? ''}
          language={lang}
          readOnly={readOnly}
          ariaLabel={p.displayName}
          height={lang === 'el' ? 54 : 220}
          onChange={(v) => text(v)}
          markers={(errors ?? []).filter((e) => e.line !== undefined).map((e) => ({ line: e.line!, column: e.column, message: e.message, severity: e.code === 'required' ? 'warning' : 'error' }))}
        />
      </div>
    );
  }
  if (p.editor === 'textarea') {
    return <textarea id={id} value={value ?? ''} placeholder={p.placeholder ?? p.default} readOnly={readOnly} rows={4} onChange={(e) => text(e.target.value)} />;
  }
  const hint =
    p.type === 'duration' ? 'e.g. 30 sec, 5 mins' : p.type === 'dataSize' ? 'e.g. 10 KB, 1 GB' : p.type === 'integer' || p.type === 'number' ? 'number' : undefined;
  return (
    <input
      id={id}
      type="text"
      inputMode={(p.type === 'integer' || p.type === 'number') && (p.expressionScope ?? 'none') === 'none' ? 'numeric' : undefined}
      value={value ?? ''}
      placeholder={p.placeholder ?? p.default ?? hint}
      readOnly={readOnly}
      data-kind={p.type}
      onChange={(e) => text(e.target.value)}
    />
  );
}

/** A property naming a controller service: the flow's services that implement the API it asks for, by name. */
function ServiceSelect({ p, id, value, readOnly, onChange, services }: { p: PropertyDescriptor; id: string; value: string | undefined; readOnly?: boolean; onChange: (v: string | undefined) => void; services: readonly ControllerServiceSummary[] }) {
  const api = p.identifiesControllerService!;
  const fitting = services.filter((s) => s.implements.includes(api));
  const unknown = value !== undefined && value !== '' && !fitting.some((s) => s.id === value);
  return (
    <select id={id} value={value ?? ''} disabled={readOnly} data-service-api={api} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
      <option value="">{fitting.length ? '— choose a service —' : `— no ${api} in this flow —`}</option>
      {fitting.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name} ({s.type}){s.enabled ? '' : ' — disabled'}
        </option>
      ))}
      {unknown && <option value={value}>{value} (not in this flow)</option>}
    </select>
  );
}

/** Never shows a stored secret: the masked value stays untouched unless the user types a new one. */
function SensitiveInput({ id, p, value, readOnly, onChange }: { id: string; p: PropertyDescriptor; value: string | undefined; readOnly?: boolean; onChange: (v: string | undefined) => void }) {
  const stored = value === SECRET_MASK;
  const [editing, setEditing] = useState(false);
  // Emptying the box while replacing a stored secret restores "keep the stored one", not "no value".
  const hadSecret = useRef(stored);
  if (stored) hadSecret.current = true;
  if (stored && !editing) {
    return (
      <div className="sensitive-set">
        <input id={id} type="password" value={SECRET_MASK} readOnly aria-label={`${p.displayName} (stored)`} />
        {!readOnly && (
          <>
            <button type="button" className="btn sm" onClick={() => setEditing(true)}>Change</button>
            <button
              type="button"
              className="btn ghost sm danger"
              onClick={() => {
                hadSecret.current = false;
                onChange(undefined);
              }}
            >
              Clear
            </button>
          </>
        )}
      </div>
    );
  }
  return (
    <input
      id={id}
      type="password"
      autoComplete="new-password"
      value={stored ? '' : (value ?? '')}
      data-keeps-secret={hadSecret.current || undefined}
      placeholder={stored ? 'Type a new value to replace the stored one' : 'Sensitive value'}
      readOnly={readOnly}
      onChange={(e) => onChange(e.target.value === '' ? (hadSecret.current ? SECRET_MASK : undefined) : e.target.value)}
      onBlur={() => setEditing(false)}
    />
  );
}

function DynamicProperties({
  descriptor,
  names,
  values,
  readOnly,
  errors,
  onChange,
  known,
}: {
  descriptor: ProcessorDescriptor;
  names: string[];
  values: Readonly<Record<string, string>>;
  readOnly?: boolean;
  errors: Map<string | null, ValidationResult[]>;
  onChange: (name: string, value: string | undefined) => void;
  known: Set<string>;
}) {
  const [newName, setNewName] = useState('');
  const CodeEditor = useCodeEditor();
  const dyn = descriptor.dynamicProperties!;
  const trimmed = newName.trim();
  const clash = trimmed !== '' && (known.has(trimmed) || names.includes(trimmed));
  return (
    <fieldset className="prop-group dynamic">
      <legend>{descriptor.dynamicRelationships ? 'Routes (dynamic properties)' : 'Dynamic properties'}</legend>
      <p className="muted small">{dyn.description}</p>
      {names.map((name) => (
        <div className="prop-field dynamic-field" key={name} data-property={name}>
          <div className="prop-label">
            <span className="mono">{name}</span>
            {dyn.expressionScope !== 'none' && <span className="el-chip">EL</span>}
            {!readOnly && (
              <button type="button" className="btn ghost sm danger push-right" aria-label={`Remove ${name}`} onClick={() => onChange(name, undefined)}>
                Remove
              </button>
            )}
          </div>
          {dyn.expressionScope !== 'none' ? (
            <div className="code-field lang-el">
              <CodeEditor value={values[name] ?? ''} language="el" readOnly={readOnly} ariaLabel={name} height={54} onChange={(v) => onChange(name, v)} />
            </div>
          ) : (
            <input value={values[name] ?? ''} readOnly={readOnly} aria-label={name} onChange={(e) => onChange(name, e.target.value)} />
          )}
          {(errors.get(name) ?? []).map((e) => (
            <div key={e.message} className="field-error">{e.message}</div>
          ))}
        </div>
      ))}
      {!readOnly && (
        <form
          className="dynamic-add"
          onSubmit={(e) => {
            e.preventDefault();
            if (!trimmed || clash) return;
            onChange(trimmed, '');
            setNewName('');
          }}
        >
          <input placeholder="New property name" value={newName} aria-label="New property name" onChange={(e) => setNewName(e.target.value)} />
          <button type="submit" className="btn sm" disabled={!trimmed || clash}>Add</button>
        </form>
      )}
      {clash && <div className="field-error">A property named '{trimmed}' already exists</div>}
    </fieldset>
  );
}
