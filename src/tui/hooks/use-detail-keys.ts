import { useEffect } from 'react';
import type { Ui } from '../screens/types.js';

/**
 * Tells the App whether an item of the screen is open (a detail, a diff, a report), so that the
 * footer and the help name the keys that work there, not the list's; a screen left says none is.
 */
export function useDetailKeys(ui: Ui, open: boolean): void {
  const { setDetail } = ui;
  useEffect(() => setDetail(open), [setDetail, open]);
  useEffect(() => () => setDetail(false), [setDetail]);
}
