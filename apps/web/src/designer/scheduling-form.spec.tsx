/**
 * The processor's Scheduling tab offers NiFi's execution setting: every node, or the primary node only (in a
 * cluster the leader alone runs such a source). Choosing it edits the processor's scheduling; "All nodes" leaves
 * the field out, as a document without it means.
 */
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import type { FlowDocument } from '@sluice/contracts';
import { getProcessor } from '@sluice/processors';
import { LiveStore } from '../canvas/live-store.js';
import { toNodes, type ProcessorNodeType } from '../canvas/flow-model.js';
import { DesignerContext } from './designer-context.js';
import { ProcessorInspector } from './ProcessorInspector.js';
import { savedValidation } from './issues.js';
import type { FlowEditor } from './useFlowEditor.js';

const timer = { strategy: 'timer', period: '1 min', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' } as const;

function renderScheduling(scheduling: Record<string, unknown>) {
  const doc = {
    name: 'ticks',
    processors: [{ id: 'gen', type: 'GenerateFlowFile', name: 'Tick', properties: {}, scheduling, autoTerminated: ['success'], position: { x: 0, y: 0 } }],
    connections: [],
  } as unknown as FlowDocument;
  const descriptors = new Map([['GenerateFlowFile', getProcessor('GenerateFlowFile')!.descriptor]]);
  const editor = { updateProcessor: vi.fn() } as unknown as FlowEditor & { updateProcessor: ReturnType<typeof vi.fn> };
  render(
    <ReactFlowProvider>
      <DesignerContext.Provider value={{ flowId: 'f', descriptors, live: new LiveStore(), canEdit: true, saved: savedValidation(doc, []), parameters: {} }}>
        <ProcessorInspector node={toNodes(doc)[0] as ProcessorNodeType} editor={editor} onRunOnce={vi.fn()} onStartStop={vi.fn()} testPane={null} />
      </DesignerContext.Provider>
    </ReactFlowProvider>,
  );
  fireEvent.click(screen.getByRole('button', { name: 'Scheduling' }));
  const select = screen.getByLabelText(/^Execution/) as HTMLSelectElement;
  return { editor, select };
}

describe('scheduling form: execution node', () => {
  it('sets a source to run on the primary node only', () => {
    const { editor, select } = renderScheduling(timer);
    expect(select.value).toBe('ALL');
    fireEvent.change(select, { target: { value: 'PRIMARY' } });
    expect(editor.updateProcessor).toHaveBeenCalledWith('gen', { scheduling: { ...timer, executionNode: 'PRIMARY' } }, 'sched:executionNode');
  });

  it('shows a saved primary-node setting and clears it back to all nodes', () => {
    const { editor, select } = renderScheduling({ ...timer, executionNode: 'PRIMARY' });
    expect(select.value).toBe('PRIMARY');
    fireEvent.change(select, { target: { value: 'ALL' } });
    expect(editor.updateProcessor).toHaveBeenCalledWith('gen', { scheduling: { ...timer, executionNode: undefined } }, 'sched:executionNode');
  });
});
