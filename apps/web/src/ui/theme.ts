import { useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'sluice.theme';
const listeners = new Set<() => void>();
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

export function themeChoice(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

function resolved(): 'light' | 'dark' {
  const c = themeChoice();
  if (c !== 'system') return c;
  return media().matches ? 'dark' : 'light';
}

let following = false;

/**
 * Stores the choice and sets `data-theme` to the theme in effect, which the stylesheet keys on; "system" follows the
 * OS setting, also when it changes while the page is open.
 */
export function applyTheme(choice: ThemeChoice = themeChoice()): void {
  if (choice === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  document.documentElement.dataset.theme = resolved();
  if (!following) {
    following = true;
    media().addEventListener('change', () => {
      document.documentElement.dataset.theme = resolved();
      for (const l of listeners) l();
    });
  }
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The theme in effect, for components that paint themselves (the canvas, Monaco). */
export function useResolvedTheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, resolved);
}

export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, themeChoice);
}

export const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
