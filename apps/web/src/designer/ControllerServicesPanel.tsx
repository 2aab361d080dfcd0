import { useState } from 'react';
import type { ControllerServiceConfig } from '@sluice/contracts';
import { PropertyForm } from '../properties/PropertyForm.js';
import type { FlowEditor } from './useFlowEditor.js';
import { useDesigner } from './designer-context.js';
import { serviceSummaries } from './issues.js';

function newServiceId(existing: readonly ControllerServiceConfig[], type: string): string {
  const base = type.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  for (let i = 1; ; i++) if (!existing.some((s) => s.id === `${base}-${i}`)) return `${base}-${i}`;
}

/** Controller services of the flow: added once here, named by processors; each with its form and enable toggle. */
export function ControllerServicesPanel({ editor }: { editor: FlowEditor }) {
  const { canEdit, serviceTypes, saved } = useDesigner();
  const ro = !canEdit;
  const services = editor.base.controllerServices ?? [];
  const [adding, setAdding] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const types = [...(serviceTypes?.values() ?? [])];
  const summaries = new Map(serviceSummaries(editor.base, serviceTypes).map((s) => [s.id, s]));
  const serverIssues = saved.others;
  const update = (id: string, patch: Partial<ControllerServiceConfig>, key: string) =>
    editor.updateBase({ controllerServices: services.map((s) => (s.id === id ? { ...s, ...patch } : s)) }, `svc:${id}:${key}`);
  const add = () => {
    const d = serviceTypes?.get(adding);
    if (!d) return;
    const id = newServiceId(services, d.type);
    editor.updateBase({ controllerServices: [...services, { id, type: d.type, name: d.displayName, properties: {}, enabled: true }] });
    setOpen(id);
    setAdding('');
  };
  return (
    <div className="pad" data-testid="controller-services">
      <p className="muted small">Record readers and writers are defined once here; processors choose them in their Record Reader and Record Writer properties.</p>
      {services.length === 0 && <p className="muted">No controller services yet.</p>}
      {services.map((s) => {
        const d = serviceTypes?.get(s.type);
        const summary = summaries.get(s.id);
        const issues = serverIssues.filter((v) => v.serviceId === s.id);
        return (
          <div className="service-card" key={s.id} data-service={s.id}>
            <div className="prop-label">
              <button type="button" className="btn ghost sm" aria-expanded={open === s.id} onClick={() => setOpen(open === s.id ? null : s.id)}>
                {s.name}
              </button>
              <span className="muted small">{s.type}</span>
              <label className="switch push-right">
                <input type="checkbox" checked={s.enabled} disabled={ro} aria-label={`${s.name} enabled`} onChange={(e) => update(s.id, { enabled: e.target.checked }, 'enabled')} />
                <span>{s.enabled ? 'Enabled' : 'Disabled'}</span>
              </label>
              {!ro && (
                <button type="button" className="btn ghost sm danger" aria-label={`Remove ${s.name}`} onClick={() => editor.updateBase({ controllerServices: services.filter((x) => x.id !== s.id) })}>
                  Remove
                </button>
              )}
            </div>
            {summary?.invalid && <div className="field-warning">Invalid: {summary.invalid}</div>}
            {open === s.id && (
              <div className="service-form">
                <label className="field">
                  <span>Name</span>
                  <input readOnly={ro} value={s.name} aria-label="Service name" onChange={(e) => update(s.id, { name: e.target.value }, 'name')} />
                </label>
                <div className="muted small mono">id: {s.id}</div>
                {d ? (
                  <PropertyForm
                    descriptor={d}
                    values={s.properties}
                    readOnly={ro}
                    extraErrors={issues.map((v) => ({ property: v.property, message: v.message }))}
                    onChange={(name, value) => {
                      const next = { ...s.properties };
                      if (value === undefined) delete next[name];
                      else next[name] = value;
                      update(s.id, { properties: next }, `prop:${name}`);
                    }}
                  />
                ) : (
                  <div className="field-error">Unknown controller service type '{s.type}'</div>
                )}
              </div>
            )}
          </div>
        );
      })}
      {!ro && (
        <div className="dynamic-add">
          <select value={adding} aria-label="Controller service type" onChange={(e) => setAdding(e.target.value)}>
            <option value="">— add a controller service —</option>
            {types.map((t) => (
              <option key={t.type} value={t.type} title={t.description}>
                {t.displayName} ({t.implements.join(', ')})
              </option>
            ))}
          </select>
          <button type="button" className="btn sm" disabled={!adding} onClick={add}>Add</button>
        </div>
      )}
    </div>
  );
}
