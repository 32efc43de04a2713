import type { MutableRefObject } from 'react';
import type { Action, KeyEvent } from '../keymap.js';
import type { Snapshot, TuiServices } from '../services.js';

/** The active screen gets each key press's action; it returns true when it used it. */
export type KeyHandler = (action: Action | null, e: KeyEvent) => boolean;

export type Tone = 'info' | 'ok' | 'warn' | 'error';

export interface Outcome {
  text: string;
  tone: Tone;
}

export interface Ui {
  notify(text: string, tone?: Tone): void;
  ask(title: string, onSubmit: (value: string) => void, initial?: string): void;
  /** Asks for a line of text, offering `options` by number (1-9) too. */
  pick(title: string, options: string[], onSubmit: (value: string) => void): void;
  confirm(message: string, onYes: () => void): void;
  /**
   * Runs a change through the services, reports its outcome, reloads the snapshot. An outcome with
   * a tone is for work that can finish without throwing and still not succeed (a job that failed).
   */
  act(label: string, fn: () => Promise<string | Outcome>): void;
  /** The rule editor is open (true) or closed: its own keys, footer and help apply meanwhile. */
  setEditing(on: boolean): void;
  /** An item of the screen is open (its detail, diff or report) or not: the footer and help name the keys that work there. */
  setDetail(on: boolean): void;
  /** Quits the app (the editor asks first when there are unsaved changes). */
  quit(): void;
  /** Goes to another screen with one of its items open (an incident, a rule). */
  show(screen: 'incidents' | 'rules', id: string): void;
  /** Review decisions of this session, newest last, by queue item id: what `u` undoes (kept across screen switches). */
  decisions: { id: string; commit: string }[];
  /** Review items skipped this session, oldest first: they stay at the back across screen switches. */
  skipped: string[];
  skip(id: string): void;
}

export interface ScreenProps {
  snapshot: Snapshot;
  services: TuiServices;
  width: number;
  height: number;
  keys: MutableRefObject<KeyHandler | null>;
  ui: Ui;
  /** The item to open when the screen starts (see Ui.show). */
  focus?: string;
}

export function fit(text: string, width: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length > width ? `${flat.slice(0, Math.max(0, width - 1))}…` : flat;
}

export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86400) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}
