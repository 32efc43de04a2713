import schedule from 'node-schedule';

/** Fires `onTime(fireDate)` at each time of a cron expression in `timeZone` ('' = the system's). */
export interface Timer {
  next(): Date | null;
  cancel(): void;
}

export function cronTimer(cron: string, timeZone: string, onTime: (fireDate: Date) => void): Timer {
  // node-schedule works out each next time with cron-parser in the zone, so a daylight-saving
  // change moves the instant, not the wall-clock time, and a skipped or repeated hour fires once.
  const job = schedule.scheduleJob({ rule: cron, ...(timeZone ? { tz: timeZone } : {}) }, (fireDate) => onTime(fireDate));
  return {
    next: () => job.nextInvocation(),
    cancel: () => job.cancel(),
  };
}
