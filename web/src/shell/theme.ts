/** Light or dark, following the system until the person chooses; the choice is kept in this browser. */
import { applyMode, Mode } from '@cloudscape-design/global-styles';

const KEY = 'stint.theme';

export type Theme = 'light' | 'dark';

export function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(theme: Theme, remember = false): void {
  applyMode(theme === 'dark' ? Mode.Dark : Mode.Light);
  if (remember) localStorage.setItem(KEY, theme);
}
