import { useCallback, useEffect, useRef, useState } from 'react';
import { countRows } from '../../store/incident-heads.js';
import type { Snapshot, TuiServices } from '../services.js';

/** Bursts of file events are coalesced into one reload this long after the first. */
export const COALESCE_MS = 150;
const LINT_DELAY_MS = 60;

/**
 * The workspace as the screens see it: loaded once, then again only when triggers/, store/ or
 * rules/ change (new triggers are ingested first). No timers run while nothing happens.
 */
export function useSnapshot(services: TuiServices): { snapshot: Snapshot | null; error: string | null; reload: () => Promise<void> } {
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const again = useRef<'triggers' | 'data' | null>(null);

  const refresh = useCallback(
    async (what: 'triggers' | 'data') => {
      if (busy.current) {
        if (again.current !== 'triggers') again.current = what;
        return;
      }
      busy.current = true;
      try {
        if (what === 'triggers') await services.ingest();
        const loaded = await services.load();
        setSnapshot(loaded);
        setError(null);
        // Lint flags arrive a moment after the first frame instead of delaying it: Ink draws at
        // most 30 frames a second, so wait past one frame before the lint starts.
        await new Promise((r) => setTimeout(r, LINT_DELAY_MS));
        // Every incident's row, when the first frame listed from the months' heads, the history's
        // latest commits, when it moved, and the lint come the same way. Each replaces the snapshot
        // only if no reload replaced it meanwhile (`before` is fixed for the updater, which React
        // may run later).
        let shown = loaded;
        const show = (next: Snapshot) => {
          const before = shown;
          setSnapshot((current) => (current === before ? next : current));
          shown = next;
        };
        if (shown.rowsLater) {
          const rows = await services.incidentRows();
          show({ ...shown, incidentRows: rows, incidentCounts: countRows(rows), rowsLater: false });
        }
        if (shown.commitsLater) show({ ...shown, commits: await services.commits(), commitsLater: false });
        show({ ...shown, lint: await services.lint(shown) });
      } catch (err) {
        setError((err as Error).message);
      } finally {
        busy.current = false;
        const next = again.current;
        again.current = null;
        if (next) void refresh(next);
      }
    },
    [services],
  );

  useEffect(() => {
    void refresh('triggers');
    let timer: NodeJS.Timeout | null = null;
    let pending: 'triggers' | 'data' = 'data';
    const stop = services.watch((what) => {
      if (what === 'triggers') pending = 'triggers';
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        const w = pending;
        pending = 'data';
        void refresh(w);
      }, COALESCE_MS);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [services, refresh]);

  return { snapshot, error, reload: () => refresh('data') };
}
