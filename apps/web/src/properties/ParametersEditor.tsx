import { useState } from 'react';
import { SECRET_MASK } from '@sluice/contracts';

/** NiFi's parameter names: letters, digits, spaces, '.', '-' and '_'. */
const NAME = /^[\w .-]+$/;

export interface ParametersValue {
  parameters: Record<string, string>;
  sensitive: readonly string[];
}

/**
 * A parameter context: names, values and which values are sensitive. A sensitive value is set-only, as in NiFi:
 * the server answers with a mask, sending the mask back keeps the stored value, and a new value replaces it unseen.
 */
export function ParametersEditor({ value, onChange, readOnly }: { value: ParametersValue; onChange: (v: ParametersValue) => void; readOnly?: boolean }) {
  const secret = new Set(value.sensitive);
  const [replacing, setReplacing] = useState<Set<string>>(new Set());
  const [draft, setDraft] = useState({ name: '', value: '', sensitive: false });
  const names = Object.keys(value.parameters);
  const draftName = draft.name.trim();
  const draftProblem = !draftName
    ? null
    : !NAME.test(draftName)
      ? 'A name has letters, digits, spaces, dots, dashes and underscores only.'
      : names.includes(draftName)
        ? `'${draftName}' is already a parameter.`
        : null;

  const set = (parameters: Record<string, string>, sensitive: readonly string[] = value.sensitive) => onChange({ parameters, sensitive: sensitive.filter((n) => n in parameters) });
  const setValue = (name: string, v: string) => set({ ...value.parameters, [name]: v });
  const remove = (name: string) => {
    const { [name]: _gone, ...rest } = value.parameters;
    set(rest);
  };
  const setSensitive = (name: string, on: boolean) => {
    if (on) return set(value.parameters, [...secret, name]);
    // A stored secret is never sent back, so making it readable means typing it again.
    const stored = value.parameters[name] === SECRET_MASK;
    set(stored ? { ...value.parameters, [name]: '' } : value.parameters, [...secret].filter((n) => n !== name));
  };
  const add = () => {
    if (!draftName || draftProblem) return;
    set({ ...value.parameters, [draftName]: draft.value }, draft.sensitive ? [...secret, draftName] : value.sensitive);
    setDraft({ name: '', value: '', sensitive: false });
  };

  return (
    <div className="parameters-editor" data-testid="parameters-editor">
      <table className="table compact param-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Value</th>
            <th title="Stored encrypted, never shown again, exported empty">Sensitive</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {names.length === 0 && (
            <tr><td colSpan={4} className="muted">No parameters. Processors reference them as #{'{'}name{'}'}.</td></tr>
          )}
          {names.map((name) => {
            // A parameter a sensitive property references is sensitive on the server even when nobody ticked it.
            const isSecret = secret.has(name) || value.parameters[name] === SECRET_MASK;
            const stored = isSecret && value.parameters[name] === SECRET_MASK && !replacing.has(name);
            return (
              <tr key={name} data-parameter={name}>
                <td className="param-name mono">{name}</td>
                <td>
                  {stored ? (
                    <span className="secret-stored">
                      <span className="muted small" aria-label={`${name} is set`}>•••••••• set</span>
                      {!readOnly && (
                        <button type="button" className="btn ghost sm" onClick={() => setReplacing(new Set([...replacing, name]))}>Replace</button>
                      )}
                    </span>
                  ) : (
                    <input
                      type={isSecret ? 'password' : 'text'}
                      autoComplete={isSecret ? 'new-password' : 'off'}
                      readOnly={readOnly}
                      aria-label={`Value of ${name}`}
                      placeholder={isSecret && replacing.has(name) ? 'new value (the stored one stays if left empty)' : ''}
                      value={value.parameters[name] === SECRET_MASK ? '' : value.parameters[name]}
                      onChange={(e) => setValue(name, e.target.value === '' && replacing.has(name) ? SECRET_MASK : e.target.value)}
                    />
                  )}
                </td>
                <td>
                  <input type="checkbox" disabled={readOnly} checked={isSecret} aria-label={`${name} is sensitive`} onChange={(e) => setSensitive(name, e.target.checked)} />
                </td>
                <td className="row-actions">
                  {!readOnly && (
                    <button type="button" className="btn ghost sm danger" aria-label={`Remove ${name}`} onClick={() => remove(name)}>✕</button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!readOnly && (
        <form
          className="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <input placeholder="name, e.g. erp.url" aria-label="New parameter name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
          <input
            type={draft.sensitive ? 'password' : 'text'}
            autoComplete="off"
            placeholder="value"
            aria-label="New parameter value"
            value={draft.value}
            onChange={(e) => setDraft({ ...draft, value: e.target.value })}
          />
          <label className="check-row">
            <input type="checkbox" checked={draft.sensitive} aria-label="New parameter is sensitive" onChange={(e) => setDraft({ ...draft, sensitive: e.target.checked })} />
            <span>sensitive</span>
          </label>
          <button className="btn sm" type="submit" disabled={!draftName || draftProblem !== null}>Add parameter</button>
        </form>
      )}
      {draftProblem && <div className="error-box small" role="alert">{draftProblem}</div>}
    </div>
  );
}
