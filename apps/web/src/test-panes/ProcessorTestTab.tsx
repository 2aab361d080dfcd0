import { useState } from 'react';
import type { PropertyDescriptor } from '@sluice/flow-api';
import type { ProcessorNodeType } from '../canvas/flow-model.js';
import type { FlowEditor } from '../designer/useFlowEditor.js';
import { useDesigner } from '../designer/designer-context.js';
import { useLastQueued } from './useLastQueued.js';
import { PinnedInput, testSample } from './PinnedInput.js';
import { ScriptPane } from './ScriptPane.js';
import { MappingPane } from './MappingPane.js';
import { ExpressionPane } from './ExpressionPane.js';
import { StepTestPane } from './StepTestPane.js';
import { scriptLanguage } from './script-language.js';

const isEl = (p: PropertyDescriptor) => (p.expressionScope ?? 'none') !== 'none';

/** Picks the panes that fit the step: script, mapping, expression, and always "test this step". */
export function ProcessorTestTab({ node, editor }: { node: ProcessorNodeType; editor: FlowEditor }) {
  const { descriptors, flowId, canEdit } = useDesigner();
  const d = descriptors.get(node.data.type);
  const incoming = editor.edges.filter((e) => e.target === node.id);
  // FlowFiles handed to the step from outside (a trigger, an outbound batch) wait in its own input queue.
  const ingress = d && d.inputRequirement !== 'forbidden' ? [{ id: `ingress:${node.id}`, label: 'Waiting input' }] : [];
  const incomingIds = [...incoming.map((e) => e.id), ...ingress.map((i) => i.id)];
  const { sample: queued, loading } = useLastQueued(flowId, incomingIds);
  const sample = testSample(node, queued);
  const values = node.data.properties;
  const valueOf = (p: PropertyDescriptor) => values[p.name] ?? p.default ?? '';

  const scriptProp = d?.properties.find((p) => p.editor === 'python' || p.editor === 'javascript');
  const engineProp = d?.properties.find((p) => p.type === 'enum' && /engine|language/i.test(p.name) && p.allowableValues?.some((a) => /python|javascript/i.test(a.value)));
  const language = scriptLanguage(engineProp ? valueOf(engineProp) : '', scriptProp?.editor);
  // The mapping pane runs JoltTransformJSON itself, with this step's properties.
  const isJolt = node.data.type === 'JoltTransformJSON';
  const known = new Set(d?.properties.map((p) => p.name) ?? []);
  const elProps = [
    ...(d?.properties.filter((p) => isEl(p) && valueOf(p).includes('${')).map((p) => ({ name: p.name, label: p.displayName, value: valueOf(p) })) ?? []),
    ...(d?.dynamicProperties && d.dynamicProperties.expressionScope !== 'none'
      ? Object.keys(values).filter((k) => !known.has(k)).map((k) => ({ name: k, label: k, value: values[k] ?? '' }))
      : []),
  ];
  const [elPick, setElPick] = useState(0);
  const chosenEl = elProps[Math.min(elPick, elProps.length - 1)];
  const labels = [
    ...incoming.map((e) => ({ id: e.id, label: `${editor.nodes.find((n) => n.id === e.source)?.data.name ?? e.source} (${(e.data?.relationships ?? []).join(', ')})` })),
    ...ingress,
  ];

  return (
    <div className="pad test-tab">
      {loading && <div className="muted small">Looking for a queued FlowFile to use as input…</div>}
      {!loading && incomingIds.length > 0 && !sample && <div className="muted small">Nothing is queued before this step; paste an input below.</div>}
      <PinnedInput node={node} editor={editor} queued={queued} canEdit={canEdit} />
      {scriptProp && (
        <ScriptPane script={valueOf(scriptProp)} language={language} sample={sample} step={{ flowId, processorId: node.id, properties: values, parameters: editor.base.parameters }} />
      )}
      {isJolt && <MappingPane properties={values} parameters={editor.base.parameters} sample={sample} />}
      {chosenEl && (
        <>
          {elProps.length > 1 && (
            <label className="field">
              <span>Expression</span>
              <select value={elPick} onChange={(e) => setElPick(Number(e.target.value))}>
                {elProps.map((p, i) => (
                  <option key={p.name} value={i}>{p.label}</option>
                ))}
              </select>
            </label>
          )}
          <ExpressionPane label={chosenEl.label} expression={chosenEl.value} parameters={editor.base.parameters} sample={sample} memoryKey={`${flowId}.${node.id}`} />
        </>
      )}
      <StepTestPane flowId={flowId} processorId={node.id} processorName={node.data.name} descriptor={d} properties={values} incoming={labels} canEdit={canEdit} {...(node.data.pinned ? { pinned: node.data.pinned } : {})} />
    </div>
  );
}
