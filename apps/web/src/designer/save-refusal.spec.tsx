/**
 * A save the server refuses (400) names the processors and properties at fault; the inspector shows each reason
 * beside its field, as it does for the issues of a saved version. The refusals here are built as the server builds
 * them (`processors.<i>.properties.<name>`, the processor's name before the message) from the processors' real
 * cross-property checks, which the browser cannot run itself.
 */
import { describe, expect, it, vi } from 'vitest';
import { render } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import type { FieldError, FlowDocument, ProcessorConfig } from '@sluice/contracts';
import { validateProcessor, type ProcessorDefinition } from '@sluice/flow-api';
import { getProcessor } from '@sluice/processors';
import { LiveStore } from '../canvas/live-store.js';
import { isProcessor, toNodes } from '../canvas/flow-model.js';
import { DesignerContext } from './designer-context.js';
import { ProcessorInspector } from './ProcessorInspector.js';
import { refusalIssues } from './save-refusal.js';
import { savedValidation, withRefusal } from './issues.js';
import type { FlowEditor } from './useFlowEditor.js';

const scheduling = { strategy: 'timer', period: '1 min', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' } as const;
const processor = (id: string, type: string, name: string, properties: Record<string, string>): ProcessorConfig => ({
  id, type, name, properties, scheduling, autoTerminated: [], position: { x: 0, y: 0 },
});

const doc: FlowDocument = {
  name: 'orders',
  processors: [
    processor('gen', 'GenerateFlowFile', 'Generate order', { 'Custom Text': '{"order": 1}', 'Data Format': 'Binary' }),
    processor('route', 'RouteOnContent', 'Route order', { express: '(\\s*"priority"\\s*)+\\1', 'order.id': '(\\w+\\s?)*\\1' }),
  ],
  connections: [],
} as unknown as FlowDocument;

/** The 400 body's field errors for `doc`, as the server writes them. */
function refusal(): FieldError[] {
  return doc.processors.flatMap((p, i) =>
    validateProcessor(getProcessor(p.type) as ProcessorDefinition, p.properties)
      .filter((r) => r.code !== 'required')
      .map((r) => ({ field: `processors.${i}.properties.${r.property ?? ''}`, message: `${p.name}: ${r.message}`, processorId: p.id })),
  );
}

function renderInspector(id: string, errors: FieldError[]) {
  // The document as stored had no problems; the refused save's reasons come on top.
  const saved = withRefusal(savedValidation(doc, []), refusalIssues(errors, doc));
  const descriptors = new Map(doc.processors.map((p) => [p.type, getProcessor(p.type)!.descriptor]));
  const node = toNodes(doc).filter(isProcessor).find((n) => n.id === id)!;
  const editor = { updateProcessor: vi.fn() } as unknown as FlowEditor;
  render(
    <ReactFlowProvider>
      <DesignerContext.Provider value={{ flowId: 'f', descriptors, live: new LiveStore(), canEdit: true, saved, parameters: {} }}>
        <ProcessorInspector node={node} editor={editor} onRunOnce={vi.fn()} onStartStop={vi.fn()} testPane={null} />
      </DesignerContext.Provider>
    </ReactFlowProvider>,
  );
}

const messages = (property: string) =>
  [...document.querySelectorAll(`[data-property="${property}"] .field-error`)].map((e) => e.textContent);

describe('a refused save, shown beside the fields at fault', () => {
  it('GenerateFlowFile: the Custom Text and Binary conflict, without the processor name the banner needs', () => {
    renderInspector('gen', refusal());
    expect(messages('Custom Text')).toEqual(['Custom Text: if Custom Text is set, then Data Format must be Text and Unique FlowFiles must be false']);
    expect(document.querySelector('[data-property="Custom Text"] [role=alert]')).not.toBeNull();
    expect(messages('Data Format')).toEqual([]);
  });

  it('RouteOnContent: an unsafe rule beside its dynamic property, dotted names included', () => {
    renderInspector('route', refusal());
    expect(messages('express')).toEqual([
      `express: regular expression '(\\s*"priority"\\s*)+\\1' is refused: '(\\s*"priority"\\s*)+' repeats a part whose own repetition can take the same characters (like (a+)+ or (\\w+\\s?)*), so a failing match can take exponential time, and it uses a back reference (\\1), which the linear-time engine cannot run; rewrite it so that each repeated part can match a given text in only one way`,
    ]);
    expect(messages('order.id').join()).toMatch(/^order\.id: regular expression .* is refused: .* exponential time/);
  });

  it('keeps a reason that names no property at the top of the form, and ignores ones for other documents', () => {
    const errors: FieldError[] = [
      { field: 'processors.1.autoTerminated', message: "Route order: 'success' is not a relationship of RouteOnContent", processorId: 'route' },
      { field: 'processors.7.properties.x', message: 'a processor this document does not have' },
      { field: 'integration.timeZone', message: "unknown time zone 'Mars/Olympus'" },
    ];
    expect(refusalIssues(errors, doc)).toEqual([{ processorId: 'route', property: null, message: "'success' is not a relationship of RouteOnContent" }]);
    renderInspector('route', errors);
    // Beside the processor's own problems of the edit (its unconnected relationships), found in the browser.
    expect([...document.querySelectorAll('.field-error.block')].map((e) => e.textContent)).toContain("'success' is not a relationship of RouteOnContent");
  });
});
