import { ProcessorNode } from './ProcessorNode.js';
import { ConnectionEdge } from './ConnectionEdge.js';
import { GroupNode, PortNode } from './GroupNodes.js';

// Module scope: React Flow remounts every node when these objects change identity.
export const nodeTypes = { processor: ProcessorNode, port: PortNode, group: GroupNode };
export const edgeTypes = { connection: ConnectionEdge };
