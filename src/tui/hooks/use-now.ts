import { useEffect, useState } from 'react';

/**
 * The time, renewed every `everyMs`: "5m ago" must age while nothing in the workspace changes
 * (no reload comes to redraw it).
 */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    t.unref?.();
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
