import { useCallback, useEffect, useState, type PointerEvent as ReactPointerEvent } from 'react';

const KEY = 'sluice.designer.panels';
export const INSPECTOR_MIN = 300;
const INSPECTOR_DEFAULT = 400;
/** The canvas keeps at least this much width, whatever the panels ask for. */
const CANVAS_MIN = 360;
export const PALETTE_WIDTH = 232;
export const COLLAPSED_WIDTH = 34;

interface Panels {
  paletteOpen: boolean;
  inspectorOpen: boolean;
  inspectorWidth: number;
}

function initial(): Panels {
  const narrow = typeof window !== 'undefined' && window.innerWidth < 1280;
  const fallback = { paletteOpen: !narrow, inspectorOpen: true, inspectorWidth: narrow ? 340 : INSPECTOR_DEFAULT };
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<Panels> | null;
    return saved ? { ...fallback, ...saved } : fallback;
  } catch {
    return fallback;
  }
}

/** Widest the inspector may be in a window this wide: the canvas and the palette keep their room. */
export function maxInspectorWidth(windowWidth: number, paletteOpen: boolean): number {
  return Math.max(INSPECTOR_MIN, windowWidth - CANVAS_MIN - (paletteOpen ? PALETTE_WIDTH : COLLAPSED_WIDTH));
}

/**
 * The designer's side panels: each collapses to a thin bar, and the inspector is resized by dragging its edge. The
 * choice is remembered per browser, and the inspector never grows past what the window can show.
 */
export function usePanels() {
  const [panels, setPanels] = useState<Panels>(initial);
  const [windowWidth, setWindowWidth] = useState(() => window.innerWidth);
  useEffect(() => {
    const onResize = () => setWindowWidth(window.innerWidth);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  useEffect(() => {
    localStorage.setItem(KEY, JSON.stringify(panels));
  }, [panels]);

  const inspectorWidth = Math.min(Math.max(panels.inspectorWidth, INSPECTOR_MIN), maxInspectorWidth(windowWidth, panels.paletteOpen));
  const columns = `${panels.paletteOpen ? PALETTE_WIDTH : COLLAPSED_WIDTH}px minmax(0, 1fr) ${panels.inspectorOpen ? inspectorWidth : COLLAPSED_WIDTH}px`;

  const togglePalette = useCallback(() => setPanels((p) => ({ ...p, paletteOpen: !p.paletteOpen })), []);
  const toggleInspector = useCallback(() => setPanels((p) => ({ ...p, inspectorOpen: !p.inspectorOpen })), []);
  const setInspectorWidth = useCallback((w: number) => setPanels((p) => ({ ...p, inspectorWidth: Math.round(w) })), []);

  /** Dragging the inspector's left edge; the width follows the pointer. */
  const startResize = useCallback(
    (e: ReactPointerEvent) => {
      e.preventDefault();
      const startX = e.clientX;
      const startWidth = inspectorWidth;
      const move = (ev: PointerEvent) => setInspectorWidth(Math.min(Math.max(startWidth + (startX - ev.clientX), INSPECTOR_MIN), maxInspectorWidth(window.innerWidth, panels.paletteOpen)));
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
        document.body.classList.remove('resizing');
      };
      document.body.classList.add('resizing');
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    },
    [inspectorWidth, panels.paletteOpen, setInspectorWidth],
  );

  return { ...panels, inspectorWidth, columns, togglePalette, toggleInspector, setInspectorWidth, startResize };
}
