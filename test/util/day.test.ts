// dayOf in the system's zone reads Date's local fields instead of an Intl formatter (cheaper to
// start); it must name the same day the formatter does, wherever the machine is.
import { afterEach, describe, expect, it } from 'vitest';
import { dayAndMinute, dayOf } from '../../src/util/day.js';

const saved = process.env.TZ;
afterEach(() => {
  if (saved === undefined) delete process.env.TZ;
  else process.env.TZ = saved;
});

// Around midnight UTC, the date line and the spring and autumn changes of clocks.
const INSTANTS = ['2026-01-01T00:00:00Z', '2026-01-01T23:59:59.999Z', '2026-03-08T09:59:00Z', '2026-03-08T10:00:00Z', '2026-03-29T00:59:00Z', '2026-03-29T01:00:00Z', '2026-10-25T00:30:00Z', '2026-11-01T08:30:00Z', '2026-12-31T10:00:00Z', '2026-12-31T13:30:00Z'];

describe('dayOf', () => {
  for (const tz of ['UTC', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
    it(`names the day Intl names in the system's zone (${tz})`, () => {
      process.env.TZ = tz;
      const intl = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' });
      for (const t of INSTANTS) {
        expect(dayOf(t), t).toBe(intl.format(new Date(t)));
        expect(dayOf(new Date(t), tz), `${t} in ${tz} named`).toBe(intl.format(new Date(t)));
      }
    });
  }

  for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Kiritimati']) {
    it(`dayAndMinute names the day and the time Intl names in the system's zone (${tz})`, () => {
      process.env.TZ = tz;
      const parts = (t: string) => Object.fromEntries(new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
      for (const t of [...INSTANTS, '2026-06-15T12:34:56.789Z']) {
        const p = parts(t);
        const want = { day: `${p.year}-${p.month}-${p.day}`, hm: `${p.hour}:${p.minute}`, hms: `${p.hour}:${p.minute}:${p.second}` };
        expect(dayAndMinute(t), t).toEqual(want);
        expect(dayAndMinute(new Date(t), tz), `${t} in ${tz} named`).toEqual(want);
      }
    });
  }

  it('refuses a time that is not one, as the formatter does', () => {
    expect(() => dayAndMinute('not a time')).toThrow(RangeError);
    expect(() => dayOf('not a time')).toThrow(RangeError);
    expect(() => dayOf('not a time', 'UTC')).toThrow(RangeError);
  });
});
