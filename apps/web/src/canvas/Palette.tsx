import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ProcessorDescriptor } from '@sluice/flow-api';
import { CATEGORY_LABEL, CATEGORY_ORDER, categoryIcon } from './category.js';

export const DND_MIME = 'application/x-sluice-processor';

/**
 * Searchable list of processor types; drag one onto the canvas, double-click it, or reach it from the keyboard
 * (type to search, arrows to move, Enter to add it in the middle of the view).
 */
export function Palette({ types, disabled, onAdd, onCollapse }: { types: ProcessorDescriptor[]; disabled: boolean; onAdd: (d: ProcessorDescriptor) => void; onCollapse?: () => void }) {
  const [query, setQuery] = useState('');
  const list = useRef<HTMLDivElement>(null);
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

  const items = () => [...(list.current?.querySelectorAll<HTMLElement>('.palette-item') ?? [])];
  const move = (from: HTMLElement | null, step: number) => {
    const all = items();
    if (all.length === 0) return;
    const i = from ? all.indexOf(from) : -1;
    all[Math.min(Math.max(i + step, 0), all.length - 1)]!.focus();
  };
  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      move(null, 1);
    } else if (e.key === 'Enter') {
      const first = groups[0]?.[1][0];
      if (first && !disabled) {
        e.preventDefault();
        onAdd(first);
      }
    }
  };
  const onItemKey = (e: KeyboardEvent<HTMLDivElement>, d: ProcessorDescriptor) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (e.key === 'ArrowUp' && items()[0] === e.currentTarget) document.getElementById('palette-search')?.focus();
      else move(e.currentTarget, e.key === 'ArrowDown' ? 1 : -1);
    } else if ((e.key === 'Enter' || e.key === ' ') && !disabled) {
      e.preventDefault();
      onAdd(d);
    }
  };

  return (
    <aside className="palette">
      <div className="palette-search">
        <input
          id="palette-search"
          type="search"
          placeholder="Search processors… ( / )"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
          aria-label="Search processors"
          aria-controls="palette-list"
        />
        {onCollapse && (
          <button className="btn ghost sm panel-collapse" onClick={onCollapse} title="Hide the palette" aria-label="Hide the palette">‹</button>
        )}
      </div>
      <div className="palette-list" ref={list} id="palette-list" role="listbox" aria-label="Processor types">
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
                role="option"
                aria-selected={false}
                aria-disabled={disabled}
                tabIndex={0}
                onKeyDown={(e) => onItemKey(e, d)}
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
