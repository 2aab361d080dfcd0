import { useMemo, useState } from 'react';
import type { ProcessorDescriptor } from '@sluice/flow-api';
import { CATEGORY_LABEL, CATEGORY_ORDER, categoryIcon } from './category.js';

export const DND_MIME = 'application/x-sluice-processor';

/** Searchable list of processor types; drag one onto the canvas, or double-click to drop it in the middle. */
export function Palette({ types, disabled, onAdd }: { types: ProcessorDescriptor[]; disabled: boolean; onAdd: (d: ProcessorDescriptor) => void }) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const match = (d: ProcessorDescriptor) =>
      !q || d.displayName.toLowerCase().includes(q) || d.type.toLowerCase().includes(q) || d.tags.some((t) => t.toLowerCase().includes(q)) || d.description.toLowerCase().includes(q);
    const byCat = new Map<string, ProcessorDescriptor[]>();
    for (const d of types.filter(match)) {
      const list = byCat.get(d.category) ?? [];
      list.push(d);
      byCat.set(d.category, list);
    }
    return [...byCat.entries()]
      .sort((a, b) => CATEGORY_ORDER.indexOf(a[0]) - CATEGORY_ORDER.indexOf(b[0]))
      .map(([cat, list]) => [cat, list.sort((a, b) => a.displayName.localeCompare(b.displayName))] as const);
  }, [types, query]);

  return (
    <aside className="palette">
      <div className="palette-search">
        <input type="search" placeholder="Search processors…" value={query} onChange={(e) => setQuery(e.target.value)} aria-label="Search processors" />
      </div>
      <div className="palette-list">
        {groups.length === 0 && <div className="muted pad">No processor matches “{query}”.</div>}
        {groups.map(([cat, list]) => (
          <section key={cat}>
            <h3 className="palette-cat">{CATEGORY_LABEL[cat] ?? cat}</h3>
            {list.map((d) => (
              <div
                key={d.type}
                className={`palette-item${disabled ? ' disabled' : ''}`}
                draggable={!disabled}
                data-type={d.type}
                title={d.description}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DND_MIME, d.type);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onDoubleClick={() => !disabled && onAdd(d)}
              >
                <span className={`proc-icon sm cat-${d.category}`} aria-hidden>{categoryIcon(d.category)}</span>
                <div>
                  <div className="palette-name">{d.displayName}</div>
                  <div className="palette-desc">{d.description}</div>
                </div>
              </div>
            ))}
          </section>
        ))}
      </div>
    </aside>
  );
}
