import { useState } from 'react';

/**
 * The `/` filter of a list screen: while it is being typed the screen reads raw keys (the keymap
 * is off); enter keeps it, esc clears it. `onChange` runs on every edit (to reset the selection).
 */
export function useFilter(onChange: () => void) {
  const [filter, setFilter] = useState('');
  const [filtering, setFiltering] = useState(false);
  const start = () => {
    setFiltering(true);
  };
  return {
    filter,
    filtering,
    /** `/` starts typing a filter; esc clears one that is set (and is left to others otherwise). */
    handle(action: string | null): boolean {
      if (action === 'filter') {
        start();
        return true;
      }
      if (action === 'back' && filter) {
        setFilter('');
        return true;
      }
      return false;
    },
    bar: {
      value: filter,
      active: filtering,
      onChange(v: string) {
        setFilter(v);
        onChange();
      },
      onDone(keep: boolean) {
        if (!keep) setFilter('');
        setFiltering(false);
      },
    },
  };
}
