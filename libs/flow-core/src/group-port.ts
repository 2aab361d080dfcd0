import { defineProcessor, type ProcessorDefinition } from '@sluice/flow-api';
import type { ProcessorRegistry } from './flow-graph.js';

/**
 * The engine type of a process group's input and output ports. A port runs as a node of the flow like a
 * processor, so its queues, back pressure, durability, status and events are the ones every processor has; the
 * group boundary itself is a matter of the document (which connections may cross it), not of the engine.
 */
export const PORT_TYPE = 'ProcessGroupPort';

/** How many FlowFiles one port task hands on in one session. */
const PORT_BATCH = 1000;

export const PortDefinition: ProcessorDefinition = defineProcessor({
  descriptor: {
    type: PORT_TYPE,
    version: 1,
    displayName: 'Port',
    description: 'Passes every FlowFile on unchanged, content and attributes alike, across a process group boundary.',
    category: 'utility',
    tags: ['port', 'process group'],
    properties: [],
    relationships: [{ name: 'success', description: 'Every FlowFile that reaches the port.' }],
    inputRequirement: 'required',
    defaultSchedule: { strategy: 'timer', period: '0 sec' },
  },
  onTrigger(_context, session) {
    // Transferring the FlowFile as it is keeps its content claim: nothing is copied, the session records a ROUTE.
    for (const ff of session.getBatch(PORT_BATCH)) session.transfer(ff, 'success');
  },
});

/** The registry with ports added, so every caller of the engine and the validator knows them. */
export function withPorts(registry: ProcessorRegistry): ProcessorRegistry {
  return (type) => (type === PORT_TYPE ? PortDefinition : registry(type));
}
