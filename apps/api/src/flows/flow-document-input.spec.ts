import { FlowDocumentSchema } from '@sluice/contracts';
import { describe, expect, it } from 'vitest';
import { BadInputError } from '../common/errors.js';
import { parseInput } from '../common/zod.js';
import { parseFlowDocumentInSlices } from './flow-document-input.js';
import { largeFlow } from './large-flow.testing.js';

/** What the one-piece parse answers: the document, or the 400's message and fields. */
function whole(input: unknown): unknown {
  try {
    return parseInput(FlowDocumentSchema, input, 'flow document');
  } catch (e) {
    return refusal(e);
  }
}

async function sliced(input: unknown): Promise<unknown> {
  try {
    return await parseFlowDocumentInSlices(input);
  } catch (e) {
    return refusal(e);
  }
}

function refusal(e: unknown): unknown {
  if (!(e instanceof BadInputError)) throw e;
  return { message: e.message, errors: e.errors };
}

const processor = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'UpdateAttribute', name: id, position: { x: 0, y: 0 }, properties: {}, ...extra });

describe('parseFlowDocumentInSlices', () => {
  const cases: [string, unknown][] = [
    ['a valid document with defaults to fill', { name: 'flow', processors: [processor('a'), processor('b')], connections: [{ id: 'c', sourceId: 'a', targetId: 'b', relationships: ['success'] }] }],
    ['a large valid document', largeFlow('large', 300, 600)],
    ['a document with only a name', { name: 'bare' }],
    ['broken fields before, among and after the lists', { name: '', description: 7, processors: [processor('a'), { id: 5 }, processor('c', { position: 'here' })], connections: [{ id: 'c' }], ports: 'none', integration: { direction: 'sideways' } }],
    ['lists that are not arrays', { name: 'x', processors: {}, connections: 3, controllerServices: 'no' }],
    ['not an object', 'a flow'],
    ['an array', [processor('a')]],
    ['no document', undefined],
  ];
  for (const [what, input] of cases) {
    it(`answers as the one-piece parse for ${what}`, async () => {
      const expected = whole(input);
      expect(await sliced(input)).toEqual(expected);
    });
  }

  it('names each refused element by its place in its list', async () => {
    const answer = (await sliced({ name: 'x', processors: [processor('a'), processor('b', { type: 3 })] })) as { errors: { field: string }[] };
    expect(answer.errors.map((e) => e.field)).toEqual(['processors.1.type']);
  });
});
