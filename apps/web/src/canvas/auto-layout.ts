import dagre from '@dagrejs/dagre';
import { GRID } from './flow-model.js';

export interface LayoutNode {
  id: string;
  width?: number;
  height?: number;
}
export interface LayoutEdge {
  source: string;
  target: string;
}

const DEFAULT_SIZE = { width: 224, height: 110 };

/**
 * Left-to-right layers, matching the handles (inputs on the left, relationships on the right), so edges run
 * forward instead of looping behind nodes. Self-loops are left out: they do not order anything.
 */
export function autoLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], origin = { x: 80, y: 80 }): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 50, ranksep: 110, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width ?? DEFAULT_SIZE.width, height: n.height ?? DEFAULT_SIZE.height });
  const ids = new Set(nodes.map((n) => n.id));
  edges.forEach((e, i) => {
    if (e.source !== e.target && ids.has(e.source) && ids.has(e.target)) g.setEdge(e.source, e.target, {}, `e${i}`);
  });
  dagre.layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id);
    const w = n.width ?? DEFAULT_SIZE.width;
    const h = n.height ?? DEFAULT_SIZE.height;
    // dagre gives centres; the canvas places top-left corners on its grid.
    out.set(n.id, {
      x: Math.round((origin.x + p.x - w / 2) / GRID[0]) * GRID[0],
      y: Math.round((origin.y + p.y - h / 2) / GRID[1]) * GRID[1],
    });
  }
  return out;
}
