import { useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'sluice.theme';
const listeners = new Set<() => void>();
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

export function themeChoice(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** The stylesheet follows the system unless `data-theme` names a choice. */
export function applyTheme(choice: ThemeChoice = themeChoice()): void {
  if (choice === 'system') {
    localStorage.removeItem(KEY);
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem(KEY, choice);
    document.documentElement.dataset.theme = choice;
  }
  for (const l of listeners) l();
}

function resolved(): 'light' | 'dark' {
  const c = themeChoice();
  if (c !== 'system') return c;
  return media().matches ? 'dark' : 'light';
}

function subscribe(l: () => void) {
  listeners.add(l);
  const m = media();
  m.addEventListener('change', l);
  return () => {
    listeners.delete(l);
    m.removeEventListener('change', l);
  };
}

/** The theme in effect, for components that paint themselves (the canvas, Monaco). */
export function useResolvedTheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, resolved);
}

export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, themeChoice);
}

export const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
