const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of an instant in a time zone ('' = the system's). */
export function dayOf(time: string | Date, timeZone = ''): string {
  if (!timeZone) {
    // The system's zone is the one Date's local fields are in. The first Intl formatter of a
    // process costs 15 to 30 ms (ICU loads its locale data), which a one-shot command that prints
    // a few days (`memory search`, `status`) would pay for nothing.
    const d = typeof time === 'string' ? new Date(time) : time;
    if (Number.isNaN(d.getTime())) throw new RangeError('Invalid time value');
    return `${String(d.getFullYear()).padStart(4, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(timeZone ? { timeZone } : {}) });
    formatters.set(timeZone, f);
  }
  return f.format(typeof time === 'string' ? new Date(time) : time);
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** The day, the hour:minute and the hour:minute:second of an instant in a time zone ('' = the system's). */
export function dayAndMinute(time: string | Date, timeZone = ''): { day: string; hm: string; hms: string } {
  if (!timeZone) {
    // As in dayOf: the system's zone needs no formatter, which `rules approve` would start for one time.
    const d = typeof time === 'string' ? new Date(time) : time;
    const two = (n: number) => String(n).padStart(2, '0');
    const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
    return { day: dayOf(d), hm, hms: `${hm}:${two(d.getSeconds())}` };
  }
  let f = clocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) });
    clocks.set(timeZone, f);
  }
  const parts = f.formatToParts(typeof time === 'string' ? new Date(time) : time);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const hm = `${get('hour')}:${get('minute')}`;
  return { day: `${get('year')}-${get('month')}-${get('day')}`, hm, hms: `${hm}:${get('second')}` };
}

/** `YYYY-MM-DD HH:MM` in the time zone: how the TUI shows an instant (stored times are UTC). */
export function localMinute(time: string | Date, timeZone = ''): string {
  const { day, hm } = dayAndMinute(time, timeZone);
  return `${day} ${hm}`;
}

/** `day` shifted by `n` days (calendar arithmetic on the date itself, no zone involved). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The ISO week of a day: `2026-W47` (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - weekday + 3);
  const year = d.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4, 12));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((d.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday and Sunday of an ISO week. */
export function weekRange(week: string): { from: string; to: string } {
  const [y, w] = week.split('-W').map(Number) as [number, number];
  const jan4 = new Date(Date.UTC(y, 0, 4, 12));
  const monday = new Date(jan4);
  monday.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() + 6) % 7) + (w - 1) * 7);
  const from = monday.toISOString().slice(0, 10);
  return { from, to: addDays(from, 6) };
}

/** The instant a day begins in a time zone ('' = the system's), e.g. for "since 2026-11-02". */
export function startOfDay(day: string, timeZone = ''): string {
  const guess = Date.parse(`${day}T00:00:00Z`);
  // The zone's offset at that moment: what its clock reads, taken as if it were UTC, minus the moment.
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) }).formatToParts(new Date(guess));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return new Date(guess - (local - guess)).toISOString();
}

/** A real calendar day written YYYY-MM-DD (not 2026-02-30). */
export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T12:00:00Z`).toISOString().slice(0, 10) === value;
}
