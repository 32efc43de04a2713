import { createContext, useContext, useLayoutEffect, useRef } from 'react';
import { useInput, type Key } from 'ink';

export type KeyListener = (input: string, key: Key) => void;

/**
 * The components that read keys themselves while they are shown (a text field, a dialog, the
 * line a search is typed in). The App holds the one subscription to Ink's input and hands each key
 * here while any is registered, to the screen's keymap otherwise.
 *
 * Why not Ink's useInput in each: it subscribes and unsubscribes in passive effects, which run a
 * moment after the frame is drawn. A key typed in that moment (esc then enter, n then j) went to the
 * field that had just closed, and the screen never saw it. Registering in a layout effect happens
 * as the frame commits, so no key can arrive between the two.
 */
export class KeyRouter {
  private readonly listeners = new Set<{ current: KeyListener }>();
  private readonly typing = new Set<{ current: KeyListener }>();
  get taken(): boolean {
    return this.listeners.size > 0;
  }
  /**
   * Whether a registered listener takes typed text (a field: a pasted or quickly typed chunk is its
   * text). When none does (a y/n question), a chunk is handed over key by key: `nj` answers no, and
   * the j goes to whatever takes the keys once the question is gone.
   */
  get takesText(): boolean {
    return this.typing.size > 0;
  }
  add(listener: { current: KeyListener }, text = true): () => void {
    this.listeners.add(listener);
    if (text) this.typing.add(listener);
    return () => {
      this.listeners.delete(listener);
      this.typing.delete(listener);
    };
  }
  /** Every registered listener, in the order they registered (Ink's order: a field before its dialog). */
  dispatch(input: string, key: Key): void {
    for (const l of [...this.listeners]) l.current(input, key);
  }
}

export const KeyRouterContext = createContext<KeyRouter | null>(null);

/**
 * Ink's useInput for a component that takes the keys while it is active: it sees every key from
 * the frame it is drawn in, with the handler of its last render. Outside an App (a component
 * rendered alone) it falls back to Ink's useInput.
 */
export function useKeys(handler: KeyListener, { isActive = true, text = true }: { isActive?: boolean; text?: boolean } = {}): void {
  const router = useContext(KeyRouterContext);
  const entry = useRef({ current: handler });
  useLayoutEffect(() => {
    entry.current.current = handler;
  });
  useLayoutEffect(() => {
    if (!isActive || !router) return;
    return router.add(entry.current, text);
  }, [isActive, router, text]);
  useInput((input, key) => entry.current.current(input, key), { isActive: isActive && !router });
}
