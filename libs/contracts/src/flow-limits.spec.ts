import { describe, expect, it } from 'vitest';
import { FLOW_LIMITS, flowLimitErrors } from './flow-limits.js';

describe('flowLimitErrors', () => {
  it('accepts a flow at the limits and names each limit a flow goes over', () => {
    const at = { processors: new Array(FLOW_LIMITS.processors).fill({}), connections: new Array(FLOW_LIMITS.connections).fill({}) };
    expect(flowLimitErrors(at)).toEqual([]);
    const over = { processors: new Array(FLOW_LIMITS.processors + 1).fill({}), connections: [], ports: new Array(FLOW_LIMITS.ports + 2).fill({}) };
    expect(flowLimitErrors(over)).toEqual([
      { field: 'processors', message: `a flow has at most ${FLOW_LIMITS.processors} processors (FLOW_LIMITS.processors); this one has ${FLOW_LIMITS.processors + 1}` },
      { field: 'ports', message: `a flow has at most ${FLOW_LIMITS.ports} ports (FLOW_LIMITS.ports); this one has ${FLOW_LIMITS.ports + 2}` },
    ]);
  });

  it('leaves documents of the wrong shape to the schema', () => {
    expect(flowLimitErrors(null)).toEqual([]);
    expect(flowLimitErrors({ processors: 'many' })).toEqual([]);
  });
});
