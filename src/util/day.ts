const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of an instant in a time zone ('' = the system's). */
export function dayOf(time: string | Date, timeZone = ''): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(timeZone ? { timeZone } : {}) });
    formatters.set(timeZone, f);
  }
  return f.format(typeof time === 'string' ? new Date(time) : time);
}

/** `day` shifted by `n` days (calendar arithmetic on the date itself, no zone involved). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
