import { useState } from 'react';
import { clamp, isMove, move } from '../components/list-window.js';
import { scrollBy } from '../components/Lines.js';

/**
 * A list screen's selection and the item it has open. The selection stays within the list (0 when
 * it is empty); a move action (up, down, a page, top, bottom) moves it, and while an item is open
 * the same actions scroll its detail instead. `K` is how the screen names the open item: an id, or
 * the item itself.
 */
export function useListDetail<K>(length: number, init: { selected?: number | (() => number); open?: K | null } = {}) {
  const [selected, setSelected] = useState(init.selected ?? 0);
  const [open, setOpen] = useState<K | null>(init.open ?? null);
  const [scroll, setScroll] = useState(0);
  const sel = clamp(selected, length);
  return {
    /** The selected row. */
    selected: sel,
    /** Selects a row (kept within the list when read). */
    select: setSelected,
    /** Moves the selection for a move action, `page` rows to a page; false for any other action. */
    move(action: string | null, page: number): boolean {
      if (!isMove(action)) return false;
      setSelected(move(sel, action, length, page));
      return true;
    },
    /** The open item, or null while the list shows. */
    open,
    /** Opens an item, its detail from the top. */
    show(item: K): void {
      setOpen(item);
      setScroll(0);
    },
    /** Closes the open item; with `when`, only an item it holds for (as it is when the change lands). */
    close(when?: (item: K) => boolean): void {
      setOpen((o) => (o !== null && (!when || when(o)) ? null : o));
    },
    /** The first line of the open detail that shows. */
    scroll,
    /** Scrolls the open detail, `lines` long with `rows` shown, for a move action; false for any other action. */
    scrollBy(action: string | null, lines: number, rows: number): boolean {
      if (!isMove(action)) return false;
      setScroll((s) => scrollBy(s, action, lines, rows));
      return true;
    },
    /** Back to the top of the detail (another view over it opened or closed). */
    scrollTop(): void {
      setScroll(0);
    },
  };
}
