import { createContext, useContext } from 'react';

/**
 * Semantic colours: components ask for `theme.status.error`, never for "red". With NO_COLOR the
 * monochrome theme shows state with symbols and bold/inverse instead.
 */
export interface Theme {
  mono: boolean;
  text: { primary?: string; secondary?: string; accent?: string };
  status: { ok?: string; warn?: string; error?: string; info?: string };
  /** A one-character mark per state, readable without colour. */
  mark: { ok: string; warn: string; error: string; new: string; blocked: string; selected: string };
}

export const colourTheme: Theme = {
  mono: false,
  text: { primary: undefined, secondary: 'gray', accent: 'cyan' },
  status: { ok: 'green', warn: 'yellow', error: 'red', info: 'blue' },
  mark: { ok: '✓', warn: '!', error: '✗', new: '●', blocked: '⊘', selected: '›' },
};

export const monoTheme: Theme = {
  mono: true,
  text: {},
  status: {},
  mark: { ok: '+', warn: '!', error: 'x', new: '*', blocked: '#', selected: '>' },
};

/** The theme of the app being drawn: `App` provides it, every component reads it with `useTheme`. */
export const ThemeContext = createContext<Theme>(colourTheme);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** NO_COLOR "when present and not an empty string" turns colour off (no-color.org). */
export function themeFor(env: NodeJS.ProcessEnv): Theme {
  return env.NO_COLOR ? monoTheme : colourTheme;
}
