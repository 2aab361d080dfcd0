import { useState } from 'react';
import type { ProcessorNodeType } from '../canvas/flow-model.js';
import type { FlowEditor } from '../designer/useFlowEditor.js';
import { KeyValueEditor } from '../properties/KeyValueEditor.js';
import type { QueuedSample } from './useLastQueued.js';

export type TestSample = QueuedSample & { source: 'pinned' | 'queued' };

/** The step's test input: its pinned FlowFile when it has one, else the newest queued one. */
export function testSample(node: ProcessorNodeType, queued: QueuedSample | null): TestSample | null {
  const p = node.data.pinned;
  if (p) return { uuid: 'pinned', attributes: p.attributes, content: p.content, source: 'pinned' };
  return queued ? { ...queued, source: 'queued' } : null;
}

/** Pins a FlowFile (the queued one, or typed in) to the step as its test input, kept with the flow; or unpins it. */
export function PinnedInput({ node, editor, queued, canEdit }: { node: ProcessorNodeType; editor: FlowEditor; queued: QueuedSample | null; canEdit: boolean }) {
  const pinned = node.data.pinned;
  const [typing, setTyping] = useState(false);
  const [attributes, setAttributes] = useState<Record<string, string>>({});
  const [content, setContent] = useState('');
  const pin = (p: { attributes: Record<string, string>; content: string; source: string }) =>
    editor.updateProcessor(node.id, { pinned: { ...p, pinnedAt: new Date().toISOString() } });
  const why = canEdit ? undefined : 'Pinning changes the flow: it needs the editor role';
  return (
    <section className="test-pane" data-testid="pinned-input">
      <div className="pane-head">
        <h3>Test input</h3>
        {pinned ? <span className="state-pill state-success" data-testid="pinned-badge">Pinned</span> : <span className="muted small">{queued ? 'the newest queued FlowFile' : 'nothing pinned or queued'}</span>}
      </div>
      {pinned && (
        <div className="muted small" data-testid="pinned-summary">
          {pinned.source} · {Object.keys(pinned.attributes).length} attributes · {pinned.content.length} characters{pinned.pinnedAt ? ` · ${new Date(pinned.pinnedAt).toLocaleString()}` : ''}
        </div>
      )}
      <div className="btn-row">
        <button className="btn sm" disabled={!canEdit || !queued} title={why ?? (queued ? undefined : 'Nothing is queued before this step')} onClick={() => queued && pin({ attributes: queued.attributes, content: queued.content, source: `queued FlowFile ${queued.uuid.slice(0, 8)}` })}>
          Pin the queued FlowFile
        </button>
        <button className="btn sm" disabled={!canEdit} title={why} onClick={() => { setAttributes(pinned?.attributes ?? {}); setContent(pinned?.content ?? ''); setTyping(!typing); }}>
          {typing ? 'Cancel' : pinned ? 'Edit pinned input' : 'Type an input to pin'}
        </button>
        {pinned && <button className="btn sm danger" disabled={!canEdit} title={why} onClick={() => editor.updateProcessor(node.id, { pinned: undefined })}>Unpin</button>}
      </div>
      {typing && (
        <div className="field" data-testid="pin-editor">
          <KeyValueEditor name="pin-attributes" value={JSON.stringify(attributes)} onChange={(v) => setAttributes(v ? (JSON.parse(v) as Record<string, string>) : {})} />
          <textarea aria-label="Pinned content" rows={5} value={content} onChange={(e) => setContent(e.target.value)} />
          <button className="btn sm primary" onClick={() => { pin({ attributes, content, source: 'typed' }); setTyping(false); }}>Pin</button>
        </div>
      )}
    </section>
  );
}
