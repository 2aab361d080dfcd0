import type { ProcessorValidationDto } from '@sluice/contracts';
import type { FlowEditor } from './useFlowEditor.js';
import { useDesigner } from './designer-context.js';

/** Every problem of the stored flow, by processor and property, each once; a processor's entry selects it. */
export function ProblemList({ editor, onSelectProcessor }: { editor: FlowEditor; onSelectProcessor: (id: string) => void }) {
  const { saved } = useDesigner();
  // Problems of every group are listed, so names come from the whole document, the canvas's edits first.
  const names = new Map<string, string>([...editor.base.processors, ...(editor.base.ports ?? [])].map((c) => [c.id, c.name]));
  for (const n of editor.nodes) names.set(n.id, n.data.name);
  const edges = new Map(editor.edges.map((e) => [e.id, `${names.get(e.source) ?? e.source} → ${names.get(e.target) ?? e.target}`]));
  const processors = [...saved.byProcessor.entries()].filter(([id, list]) => list.length > 0 && names.has(id));
  const total = processors.reduce((n, [, l]) => n + l.length, 0) + saved.others.length;
  const line = (i: ProcessorValidationDto) => (
    <li key={`${i.property ?? ''}|${i.message}`} className={i.code === 'required' ? 'field-warning' : 'field-error'} data-testid="problem">
      {i.message}
      {i.line !== undefined && <span className="muted"> (line {i.line}{i.column !== undefined ? `, column ${i.column}` : ''})</span>}
    </li>
  );
  return (
    <div className="pad" data-testid="problem-list">
      {total === 0 ? (
        <p className="muted">The saved flow has no problems: it can start.</p>
      ) : (
        <p className="muted small">The saved flow has {total} problem{total === 1 ? '' : 's'}; it is kept as a draft and does not start until they are fixed.</p>
      )}
      {processors.map(([id, list]) => (
        <div key={id} className="problem-group" data-problems-of={id}>
          <button className="btn ghost sm" onClick={() => onSelectProcessor(id)}>
            <strong>{names.get(id)}</strong>
          </button>
          <ul>{list.map(line)}</ul>
        </div>
      ))}
      {saved.others.length > 0 && (
        <div className="problem-group">
          <strong>Flow and connections</strong>
          <ul>
            {saved.others.map((i) => (
              <li key={`${i.connectionId ?? i.field ?? ''}|${i.message}`} className="field-error" data-testid="problem">
                {i.connectionId ? `${edges.get(i.connectionId) ?? i.connectionId}: ` : ''}
                {i.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** How many problems the stored flow has, for the tab's chip. */
export function useProblemCount(): number {
  const { saved } = useDesigner();
  let n = saved.others.length;
  for (const list of saved.byProcessor.values()) n += list.length;
  return n;
}
