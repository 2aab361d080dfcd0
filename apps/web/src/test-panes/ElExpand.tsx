import { useEffect, useState, type ReactNode } from 'react';
import type { ProcessorDescriptor, PropertyDescriptor } from '@sluice/flow-api';
import { api, ApiError } from '../api/client.js';
import type { ProcessorNodeType } from '../canvas/flow-model.js';
import { useDesigner } from '../designer/designer-context.js';
import type { FlowEditor } from '../designer/useFlowEditor.js';
import { useCodeEditor, type CodeMarker } from '../properties/code-editor-slot.js';
import { expressionErrorText } from './ExpressionPane.js';
import { testSample } from './PinnedInput.js';
import { useLastQueued } from './useLastQueued.js';
import './el-expand.css';

const PREVIEW_DELAY_MS = 300;

/** The full-size editor for one expression property, with its value evaluated live against the step's test input. */
function ElDialog({ p, node, editor, onClose }: { p: PropertyDescriptor; node: ProcessorNodeType; editor: FlowEditor; onClose: () => void }) {
  const { flowId, canEdit } = useDesigner();
  const CodeEditor = useCodeEditor();
  const incoming = [...editor.edges.filter((e) => e.target === node.id).map((e) => e.id), `ingress:${node.id}`];
  const { sample: queued, loading } = useLastQueued(flowId, incoming);
  const sample = testSample(node, queued);
  const value = node.data.properties[p.name] ?? p.default ?? '';
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; marker: CodeMarker | null } | null>(null);
  const [height, setHeight] = useState(() => Math.max(240, window.innerHeight - 300));

  useEffect(() => {
    const onResize = () => setHeight(Math.max(240, window.innerHeight - 300));
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('resize', onResize);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('resize', onResize);
      window.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  const attributesKey = JSON.stringify(sample?.attributes ?? {});
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      api.testExpression({ expression: value, attributes: JSON.parse(attributesKey) as Record<string, string>, parameters: editor.base.parameters }).then(
        (r) => {
          if (!live) return;
          setResult(r.result);
          setError(null);
        },
        (e: unknown) => {
          if (!live) return;
          const b = e instanceof ApiError ? e.body : {};
          const text = expressionErrorText(e);
          setResult(null);
          setError({ text, marker: typeof b.line === 'number' ? { line: b.line, column: typeof b.column === 'number' ? b.column : undefined, message: text, severity: 'error' } : null });
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [value, attributesKey, editor.base.parameters]);

  const setValue = (v: string) => {
    const next = { ...node.data.properties };
    if (v === '') delete next[p.name];
    else next[p.name] = v;
    editor.updateProcessor(node.id, { properties: next }, `prop:${p.name}`);
  };

  return (
    <div className="modal-backdrop el-full-backdrop" onClick={onClose}>
      <div className="el-full" role="dialog" aria-label={`Edit ${p.displayName}`} data-testid="el-dialog" onClick={(e) => e.stopPropagation()}>
        <div className="el-full-head">
          <h2>{p.displayName}</h2>
          <span className="muted small">Expression Language · {p.expressionScope} scope</span>
          <span className="spacer" />
          <button className="btn sm" onClick={onClose}>Close</button>
        </div>
        <div className={`code-field lang-el`}>
          <CodeEditor value={value} language="el" readOnly={!canEdit} ariaLabel={`${p.displayName} (full size)`} height={height} onChange={setValue} markers={error?.marker ? [error.marker] : []} />
        </div>
        <div className="el-full-preview" data-testid="el-preview">
          <div className="muted small" data-testid="el-preview-source">
            {sample ? `Evaluated against the ${sample.source} FlowFile (${Object.keys(sample.attributes).length} attributes)` : loading ? 'Looking for a queued FlowFile…' : 'No pinned or queued FlowFile: evaluated without attributes'}
          </div>
          {error ? <div className="error-box" data-testid="el-preview-error">{error.text}</div> : <pre className="content-view" data-testid="el-preview-result">{result === null ? '…' : result === '' ? '(empty string)' : result}</pre>}
        </div>
      </div>
    </div>
  );
}

function ElExpandButton({ p, node, editor }: { p: PropertyDescriptor; node: ProcessorNodeType; editor: FlowEditor }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn ghost sm el-expand" aria-label={`Expand ${p.displayName}`} title="Open full size with a live preview" onClick={() => setOpen(true)}>
        ⤢ Expand
      </button>
      {open && <ElDialog p={p} node={node} editor={editor} onClose={() => setOpen(false)} />}
    </>
  );
}

/** Field tools for the processor form: expression properties get the full-size editor. */
export function elFieldTools(_d: ProcessorDescriptor, node: ProcessorNodeType, editor: FlowEditor): (p: PropertyDescriptor, value: string) => ReactNode {
  return (p) => ((p.expressionScope ?? 'none') !== 'none' && !p.sensitive && p.type !== 'enum' && p.type !== 'boolean' ? <ElExpandButton p={p} node={node} editor={editor} /> : null);
}
