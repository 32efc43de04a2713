import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastTimestamp, recentShifts, redateTranscript } from '../../src/detect/redate.js';
import { parseTranscript } from '../../src/detect/transcript.js';
import { cli } from '../helpers/cli.js';
import { scratch } from '../helpers/workspace.js';

const SAMPLES = join(process.cwd(), 'journal', 'samples');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('moving a transcript in time', () => {
  it('shifts every call of a real sample by the same amount and keeps everything else', () => {
    const file = readdirSync(SAMPLES).find((f) => f.startsWith('claude-code-viewer__5c03'))!;
    const text = readFileSync(join(SAMPLES, file), 'utf8');
    const before = parseTranscript(text);
    const after = parseTranscript(redateTranscript(text, 30 * DAY));
    expect(after.calls.length).toBe(before.calls.length);
    expect(after.calls.length).toBeGreaterThan(5);
    after.calls.forEach((call, i) => {
      const was = before.calls[i]!;
      expect({ ...call, time: was.time }).toEqual(was);
      expect(Date.parse(call.time) - Date.parse(was.time)).toBe(30 * DAY);
    });
    expect(lastTimestamp(redateTranscript(text, 30 * DAY))).toBe(lastTimestamp(text)! + 30 * DAY);
  });

  it('leaves lines that are not JSON, or have no timestamp, as they were', () => {
    const text = ['not json "timestamp"', '{"type":"summary"}', '{"timestamp":"2026-01-01T00:00:00.000Z","type":"user"}', ''].join('\n');
    const out = redateTranscript(text, HOUR).split('\n');
    expect(out[0]).toBe('not json "timestamp"');
    expect(out[1]).toBe('{"type":"summary"}');
    expect(JSON.parse(out[2]!)).toEqual({ timestamp: '2026-01-01T01:00:00.000Z', type: 'user' });
    expect(out[3]).toBe('');
  });

  it('ends the newest session five minutes before now and each earlier one a day before the next, in their order', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    const ends = [Date.parse('2025-09-07T10:00:00Z'), Date.parse('2026-02-10T22:00:00Z'), Date.parse('2025-09-03T01:00:00Z')];
    const moved = recentShifts(ends, now).map((s, i) => new Date(ends[i]! + s).toISOString());
    expect(moved).toEqual(['2026-11-20T11:55:00.000Z', '2026-11-21T11:55:00.000Z', '2026-11-19T11:55:00.000Z']);
  });
});

describe('the demo', () => {
  it("moves the sample sessions to the last days, so today's figures and the 7 days are not empty", () => {
    const dir = join(scratch(), 'demo');
    const r = cli(['demo', '--dir', dir, '--no-tui', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const stats = JSON.parse(cli(['stats', '--json'], { cwd: dir }).stdout) as { days: { day: string; calls: number; failures: number }[] };
    const recorded = JSON.parse(cli(['demo', '--dir', join(scratch(), 'demo'), '--no-tui', '--json', '--as-recorded']).stdout) as { imported: number };
    const busy = stats.days.filter((d) => d.calls > 0);
    // Three sessions, a day apart (four days when one runs across midnight), all in the 7 days.
    expect(busy.length).toBeGreaterThanOrEqual(3);
    expect(busy.reduce((n, d) => n + d.failures, 0)).toBeGreaterThan(0);
    expect(JSON.parse(r.stdout).imported).toBe(recorded.imported);
  });

  it('says how to open it again with a command that works when copied, from a folder with a space in its name too', () => {
    const dir = join(scratch(), 'my demo');
    const r = cli(['demo', '--dir', dir, '--no-tui']);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('Open it in a terminal: '))!;
    const command = line.slice('Open it in a terminal: '.length).split('  (or ')[0]!;
    const opened = spawnSync('sh', ['-c', `${command} status --json`], { encoding: 'utf8', cwd: scratch() });
    expect(opened.status, `${command}\n${opened.stderr}`).toBe(0);
    expect(JSON.parse(opened.stdout).workspace).toBe(join(dir, '.nevo'));
  });

  it('keeps their own dates with --as-recorded', () => {
    const dir = join(scratch(), 'demo');
    expect(cli(['demo', '--dir', dir, '--no-tui', '--as-recorded']).code).toBe(0);
    const stats = JSON.parse(cli(['stats', '--json'], { cwd: dir }).stdout) as { days: { calls: number }[] };
    expect(stats.days.every((d) => d.calls === 0)).toBe(true);
  });
});
