import { useEffect, useRef } from 'react';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  /** Why it cannot be used now; the item is shown disabled with this as its tooltip. */
  disabled?: string | null;
  shortcut?: string;
  danger?: boolean;
}

/** A right-click menu at the pointer: arrows move, Enter picks, Escape or a click elsewhere closes it. */
export function CanvasMenu({ x, y, items, onClose }: { x: number; y: number; items: MenuItem[]; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('mousedown', away);
    window.addEventListener('keydown', key);
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('keydown', key);
    };
  }, [onClose]);

  const move = (step: number) => {
    const all = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLButtonElement);
    all[(i + step + all.length) % all.length]?.focus();
  };

  // Keep the menu inside the window.
  const left = Math.min(x, window.innerWidth - 230);
  const top = Math.min(y, window.innerHeight - (items.length * 30 + 16));
  return (
    <div
      ref={ref}
      className="canvas-menu"
      role="menu"
      style={{ left, top }}
      data-testid="canvas-menu"
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          move(e.key === 'ArrowDown' ? 1 : -1);
        }
      }}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.map((item) => (
        <button
          key={item.label}
          role="menuitem"
          className={item.danger ? 'danger' : undefined}
          disabled={!!item.disabled}
          title={item.disabled ?? undefined}
          onClick={() => {
            onClose();
            item.onSelect();
          }}
        >
          <span>{item.label}</span>
          {item.shortcut && <kbd>{item.shortcut}</kbd>}
        </button>
      ))}
    </div>
  );
}

export const SHORTCUTS: [string, string][] = [
  ['Ctrl+Z', 'Undo'],
  ['Ctrl+Shift+Z or Ctrl+Y', 'Redo'],
  ['Ctrl+C / Ctrl+V', 'Copy / paste the selection'],
  ['Ctrl+A', 'Select everything'],
  ['Delete or Backspace', 'Delete the selection (asks when queues hold FlowFiles)'],
  ['Shift, Ctrl or ⌘ + click', 'Add to the selection; drag on the canvas to select an area'],
  ['/', 'Search processors in the palette'],
  ['↑ ↓ then Enter', 'Move in the palette and add the processor in the middle of the view'],
  ['Shift+L', 'Auto-layout, left to right'],
  ['Shift+F', 'Fit the flow in view'],
  ['Right click', 'Menu for a processor, a connection or the canvas'],
  ['?', 'This sheet'],
  ['Escape', 'Close a menu or this sheet'],
];

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [onClose]);
  return (
    <div className="modal-backdrop" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="shortcut-sheet">
        <h2>Keyboard shortcuts</h2>
        <table className="table compact">
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <td><kbd>{keys}</kbd></td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="modal-actions">
          <button className="btn" onClick={onClose} autoFocus>Close</button>
        </div>
      </div>
    </div>
  );
}
