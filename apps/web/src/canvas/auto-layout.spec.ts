import { describe, expect, it } from 'vitest';
import { autoLayout } from './auto-layout.js';

describe('autoLayout', () => {
  it('puts each step to the right of the one feeding it', () => {
    const nodes = ['login', 'read', 'script', 'mapping', 'write'].map((id) => ({ id }));
    const edges = [
      { source: 'login', target: 'read' },
      { source: 'read', target: 'script' },
      { source: 'script', target: 'mapping' },
      { source: 'mapping', target: 'write' },
      { source: 'write', target: 'write' },
    ];
    const p = autoLayout(nodes, edges);
    const xs = nodes.map((n) => p.get(n.id)!.x);
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(xs[i - 1]! + 224);
    // A chain stays on one row.
    expect(new Set(nodes.map((n) => p.get(n.id)!.y)).size).toBe(1);
  });

  it('stacks branches of one source without overlap, and places unconnected processors too', () => {
    const nodes = [{ id: 'a' }, { id: 'b', height: 140 }, { id: 'c' }, { id: 'lonely' }];
    const p = autoLayout(nodes, [
      { source: 'a', target: 'b' },
      { source: 'a', target: 'c' },
    ]);
    expect(p.get('b')!.x).toBe(p.get('c')!.x);
    expect(Math.abs(p.get('b')!.y - p.get('c')!.y)).toBeGreaterThanOrEqual(110);
    expect(p.has('lonely')).toBe(true);
  });
});
