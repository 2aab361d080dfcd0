import { ProcessorNode } from './ProcessorNode.js';
import { ConnectionEdge } from './ConnectionEdge.js';

// Module scope: React Flow remounts every node when these objects change identity.
export const nodeTypes = { processor: ProcessorNode };
export const edgeTypes = { connection: ConnectionEdge };
