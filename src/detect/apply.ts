import type { BlockTally, EventRecord, Fate, Incident, LoadTally, Rejection, SessionRecord, TelemetryDay } from '../store/schemas.js';
import { addDays, dayOf } from '../util/day.js';
import { causeOf, incidentKeyOf, rewritesFile, type Cause } from './cause.js';
import type { Category } from '../store/vocabulary.js';
import { fingerprint, keyFingerprint } from './fingerprint.js';
import type { IncomingEvent } from './normalise.js';
import { reopens } from './covered.js';
import { isShellTool } from './shell-tool.js';

/**
 * The records ingest reads and changes, as the store's repositories give them inside a change:
 * arrays of their own, holding the change's records. `applyEvents` adds to the arrays and changes
 * the records; what it changed is in its summary, for the caller to hand back to the repositories.
 */
export interface IngestRecords {
  events: EventRecord[];
  incidents: Incident[];
  telemetry: TelemetryDay[];
  sessions: SessionRecord[];
  rejections: Rejection[];
  blocks: BlockTally[];
  loads: LoadTally[];
}

export interface ApplyOptions {
  /** Ids the raw journal already holds: applied before, whatever the recent-events window keeps. */
  journaled?: ReadonlySet<string>;
  noisy: ReadonlySet<string>;
  recentEvents: number;
  timeZone: string;
  /** Where rules are exported for Claude Code (config `rules.exportDir`): loads of files there are tallied per rule. */
  exportDir?: string;
  /** The verdicts on failed calls worked out before the change (`failureOf`), by event id. */
  failures?: ReadonlyMap<string, Failure>;
}

export interface ApplySummary {
  events: number;
  duplicates: number;
  opened: string[];
  counted: number;
  journal: number;
  /** Calls the guard of an active rule blocked. */
  blocked: number;
  rejected: number;
  reopened: string[];
  /** The events stored this time (rejected inputs aside), for the journal. */
  stored: EventRecord[];
  /** Which documents changed, with how many record changes, for the commit batching; in the order first changed. */
  touched: Partial<Record<keyof IngestRecords, number>>;
  /** The records each document gained or changed, each once, in the order first changed (events: those stored, rejected ones too). */
  changed: IngestRecords;
  /** Sessions filed under another month now (an earlier call came late): where they were, so that month is written without them. */
  movedSessions: { id: string; firstSeen: string }[];
}

export interface RejectedInput {
  id: string;
  time: string;
  reason: string;
  kind?: string;
  session?: string;
  tool?: string;
}

const DAILY_DAYS = 60;
const RECURRING_SESSIONS = 3;
/** An incident lists at most this many of its sessions (its count goes on). */
export const MAX_SESSIONS_LISTED = 200;

/** A new incident's record, opened by one call: its sample, counted once, in its session. */
export function newIncident(o: { id: string; fingerprint: string; signature: string; category: Category; key: string; signal: Incident['signal']; tool: string; error: string; event: string; time: string; target?: string; session?: string }): Incident {
  return {
    id: o.id,
    fingerprint: o.fingerprint,
    signature: o.signature,
    category: o.category,
    key: o.key,
    signal: o.signal,
    tool: o.tool,
    sample: { error: o.error.slice(0, 2000), event: o.event, time: o.time, ...(o.target ? { target: o.target } : {}), ...(o.session ? { session: o.session } : {}) },
    count: 1,
    sessions: o.session ? [o.session] : [],
    firstSeen: o.time,
    lastSeen: o.time,
    recurring: false,
    status: 'new',
    rules: [],
    skills: [],
    reopened: 0,
    daily: {},
  };
}

/** `YYYY-MM-DD-` + the fingerprint's first hex digits, longer only if another incident has them. */
export function incidentId(day: string, fp: string, taken: (id: string) => boolean): string {
  for (let n = 4; n <= fp.length; n += 2) {
    const id = `${day}-${fp.slice(0, n)}`;
    if (!taken(id)) return id;
  }
  return `${day}-${fp}`;
}

function bump(map: Record<string, number>, key: string, by = 1) {
  map[key] = (map[key] ?? 0) + by;
}

/**
 * Decides the fate of every event and updates incidents, telemetry, sessions and the tally of
 * blocked calls accordingly.
 * Pure: it changes only the arrays and records it is given, and an event whose id is already stored is
 * skipped, so applying the same events twice changes nothing.
 */
const FILE_TOOLS = new Set(['Read', 'Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

/** The rule id of an exported rule file (`<project>/.claude/rules/nevo/PROJ-003.md`), or undefined for any other file. */
export function exportedRuleOf(file: string, exportDir = '.claude/rules/nevo'): string | undefined {
  const path = file.replace(/\\/g, '/');
  const dir = exportDir.replace(/\\/g, '/').replace(/^\.\/|\/+$/g, '');
  const m = /\/([A-Z][A-Z0-9]*-\d+)\.md$/.exec(path);
  return m && (path.startsWith(`${dir}/`) || path.includes(`/${dir}/`)) ? m[1] : undefined;
}

/** Whether a shell command of the session rewrote the file after the session last read or wrote it. */
export function rewrittenSinceRead(events: readonly Pick<EventRecord, 'session' | 'ok' | 'tool' | 'target'>[], session: string, file: string): boolean {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.session !== session) continue;
    if (e.ok && e.tool && FILE_TOOLS.has(e.tool) && e.target === file) return false;
    if (e.ok !== undefined && isShellTool(e.tool) && e.target && rewritesFile(e.target, file)) return true;
  }
  return false;
}

/** What a failed call is: its cause, and either why it is noise or the fingerprint of its incident. */
export interface Failure {
  cause: Cause;
  noise?: NonNullable<Cause['noise']>;
  /** The incident's fingerprint; absent for noise and for categories the config counts as noisy. */
  made?: { fingerprint: string; signature: string };
}

/**
 * Pure: the verdict on a failed call (`ev.ok === false` with an error). `events` are the calls
 * stored before it, for an edit refused because a command of the session rewrote the file.
 * Ingest works it out before its change, to read only the months of the incidents it may count.
 */
export function failureOf(ev: IncomingEvent, events: readonly Pick<EventRecord, 'session' | 'ok' | 'tool' | 'target'>[], noisy: ReadonlySet<string>): Failure {
  const tool = ev.tool ?? ev.kind;
  const error = ev.error ?? '';
  const command = ev.command ?? ev.target;
  const rewritten = ev.target && ev.session && /modified since read|unexpectedly modified/i.test(error) ? rewrittenSinceRead(events, ev.session, ev.target) : false;
  const cause = causeOf({ tool, error, ...(command ? { target: command } : {}), ...(ev.interrupted ? { interrupted: true } : {}), ...(ev.cwd ? { cwd: ev.cwd } : {}), ...(rewritten ? { rewrittenByOwnCommand: true } : {}) });
  if (cause.noise && ev.signal !== 'quality' && ev.signal !== 'breaker') return { cause, noise: cause.noise };
  if (noisy.has(cause.category)) return { cause };
  return { cause, made: cause.category === 'other' ? fingerprint(tool, error) : keyFingerprint(tool, cause.key, error) };
}

/** What a change applying these events must read of the sharded documents, worked out before it. */
export interface IngestNeeds {
  failures: Map<string, Failure>;
  /** The fingerprints of the incidents the failures may count. */
  fingerprints: Set<string>;
  /** The months an incident opened now would be filed in (its id starts with the day). */
  incidentMonths: Set<string>;
  sessions: Set<string>;
  /** The months a session seen for the first time now would be filed in. */
  sessionMonths: Set<string>;
}

/** Pure: the verdicts on the failed calls among `incoming` and the records they and the sessions need. */
export function ingestNeeds(incoming: readonly IncomingEvent[], events: readonly EventRecord[], opts: Pick<ApplyOptions, 'noisy' | 'timeZone'>): IngestNeeds {
  const needs: IngestNeeds = { failures: new Map(), fingerprints: new Set(), incidentMonths: new Set(), sessions: new Set(), sessionMonths: new Set() };
  // The calls before each, as applyEvents will have stored them by then.
  const before: Pick<EventRecord, 'session' | 'ok' | 'tool' | 'target'>[] = [...events];
  for (const ev of incoming) {
    if (ev.session) {
      needs.sessions.add(ev.session);
      needs.sessionMonths.add(ev.time.slice(0, 7));
    }
    if (!ev.blocked && ev.ok === false && ev.error) {
      const failure = failureOf(ev, before, opts.noisy);
      needs.failures.set(ev.id, failure);
      if (failure.made) {
        needs.fingerprints.add(failure.made.fingerprint);
        needs.incidentMonths.add(dayOf(ev.time, opts.timeZone).slice(0, 7));
      }
    }
    before.push(ev);
  }
  return needs;
}

export function applyEvents(docs: IngestRecords, incoming: IncomingEvent[], rejected: RejectedInput[], opts: ApplyOptions): ApplySummary {
  const changed = { events: [], incidents: [], telemetry: [], sessions: [], rejections: [], blocks: [], loads: [] } as IngestRecords;
  const summary: ApplySummary = { events: 0, duplicates: 0, opened: [], counted: 0, journal: 0, blocked: 0, rejected: 0, reopened: [], stored: [], touched: {}, changed, movedSessions: [] };
  const seen = new Set([...docs.events.map((e) => e.id), ...(opts.journaled ?? [])]);
  // Built at the first failure: a year holds tens of thousands of incidents, and most events are
  // calls that worked, which never look one up.
  let incidentIndex: { byFingerprint: Map<string, Incident>; ids: Set<string> } | null = null;
  const incidents = () => (incidentIndex ??= { byFingerprint: new Map(docs.incidents.map((i) => [i.fingerprint, i])), ids: new Set(docs.incidents.map((i) => i.id)) });
  const days = new Map(docs.telemetry.map((d) => [d.id, d]));
  const sessions = new Map(docs.sessions.map((s) => [s.id, s]));
  const blocks = new Map(docs.blocks.map((b) => [b.id, b]));
  const loads = new Map(docs.loads.map((l) => [l.id, l]));
  const marked = new Set<object>();
  const touch = <K extends keyof IngestRecords>(doc: K, record: IngestRecords[K][number]) => {
    summary.touched[doc] = (summary.touched[doc] ?? 0) + 1;
    if (!marked.has(record)) {
      marked.add(record);
      (changed[doc] as IngestRecords[K][number][]).push(record);
    }
  };

  const telemetryDay = (day: string) => {
    let d = days.get(day);
    if (!d) {
      d = { id: day, calls: {}, failures: {}, noisy: {} };
      days.set(day, d);
      docs.telemetry.push(d);
    }
    return d;
  };

  const store = (record: EventRecord) => {
    docs.events.push(record);
    seen.add(record.id);
    summary.events++;
    touch('events', record);
  };

  for (const r of rejected) {
    if (seen.has(r.id)) {
      summary.duplicates++;
      continue;
    }
    const rec: EventRecord = { id: r.id, time: r.time, source: 'hook', kind: r.kind ?? 'unknown', fate: { kind: 'rejected', reason: r.reason } };
    if (r.session) rec.session = r.session;
    if (r.tool) rec.tool = r.tool;
    store(rec);
    let tally = docs.rejections.find((x) => x.id === r.reason);
    if (!tally) docs.rejections.push((tally = { id: r.reason, count: 0, last: r.time }));
    tally.count++;
    if (r.time > tally.last) tally.last = r.time;
    touch('rejections', tally);
    summary.rejected++;
  }

  for (const ev of incoming) {
    if (seen.has(ev.id)) {
      summary.duplicates++;
      continue;
    }
    const day = dayOf(ev.time, opts.timeZone);
    if (ev.session) {
      let s = sessions.get(ev.session);
      if (!s) {
        s = { id: ev.session, source: ev.source, firstSeen: ev.time, lastSeen: ev.time, events: 0, calls: 0, failures: 0, ended: false } as SessionRecord;
        if (ev.cwd) s.cwd = ev.cwd;
        sessions.set(ev.session, s);
        docs.sessions.push(s);
      }
      s.events++;
      if (ev.ok !== undefined) s.calls++;
      if (ev.ok === false) s.failures++;
      if (ev.time < s.firstSeen) {
        if (ev.time.slice(0, 7) !== s.firstSeen.slice(0, 7) && !summary.movedSessions.some((m) => m.id === s!.id)) summary.movedSessions.push({ id: s.id, firstSeen: s.firstSeen });
        s.firstSeen = ev.time;
      }
      if (ev.time > s.lastSeen) s.lastSeen = ev.time;
      if (ev.kind === 'SessionEnd') s.ended = true;
      if (ev.transcript) s.transcript = ev.transcript;
      if (ev.kind === 'UserPromptSubmit' && ev.source === 'hook') s.livePrompts = true;
      touch('sessions', s);
    }
    if (ev.ok !== undefined && ev.tool) {
      const t = telemetryDay(day);
      bump(t.calls, ev.tool);
      if (ev.ok === false) bump(t.failures, ev.tool);
      touch('telemetry', t);
    }

    let fate: Fate = { kind: 'journal' };
    let category: Category | undefined;
    let fp: string | undefined;
    const loadedRule = ev.kind === 'InstructionsLoaded' && ev.target ? exportedRuleOf(ev.target, opts.exportDir) : undefined;
    if (loadedRule) {
      let tally = loads.get(loadedRule);
      if (!tally) {
        tally = { id: loadedRule, count: 0, first: ev.time, last: ev.time, reasons: {} };
        loads.set(loadedRule, tally);
        docs.loads.push(tally);
      }
      tally.count++;
      if (ev.time < tally.first) tally.first = ev.time;
      if (ev.time >= tally.last) {
        tally.last = ev.time;
        if (ev.session) tally.lastSession = ev.session;
      }
      bump(tally.reasons, ev.text || 'unknown');
      touch('loads', tally);
    }
    if (ev.blocked) {
      // The hook stopped this call before it ran: tally it against the rule whose guard did.
      let tally = blocks.get(ev.blocked);
      if (!tally) {
        tally = { id: ev.blocked, count: 0, last: ev.time, daily: {} };
        blocks.set(ev.blocked, tally);
        docs.blocks.push(tally);
      }
      tally.count++;
      if (ev.time > tally.last) tally.last = ev.time;
      bump(tally.daily, day);
      for (const d of Object.keys(tally.daily)) if (d < addDays(day, -DAILY_DAYS)) delete tally.daily[d];
      touch('blocks', tally);
      fate = { kind: 'blocked', rule: ev.blocked };
      summary.blocked++;
    } else if (ev.ok === false && ev.error) {
      const tool = ev.tool ?? ev.kind;
      const verdict = opts.failures?.get(ev.id) ?? failureOf(ev, docs.events, opts.noisy);
      const cause = verdict.cause;
      category = cause.category;
      if (verdict.noise) {
        // Not a mistake to learn from: counted by kind, journaled with why, never reviewed.
        const t = telemetryDay(day);
        bump(t.noisy, verdict.noise.kind);
        touch('telemetry', t);
        fate = { kind: 'noise', reason: verdict.noise.kind, why: verdict.noise.why };
      } else if (opts.noisy.has(category)) {
        const t = telemetryDay(day);
        bump(t.noisy, category);
        touch('telemetry', t);
      } else {
        const made = verdict.made!;
        fp = made.fingerprint;
        const { byFingerprint, ids } = incidents();
        let incident = byFingerprint.get(fp);
        if (incident) {
          const lastSeenBefore = incident.lastSeen;
          incident.count++;
          if (ev.time > incident.lastSeen) incident.lastSeen = ev.time;
          if (ev.time < incident.firstSeen) incident.firstSeen = ev.time;
          if (ev.session && !incident.sessions.includes(ev.session) && incident.sessions.length < MAX_SESSIONS_LISTED) incident.sessions.push(ev.session);
          if (incident.sessions.length >= RECURRING_SESSIONS) incident.recurring = true;
          if (reopens(incident, lastSeenBefore, ev.time)) {
            // It happened again although a rule or skill was meant to stop it (not merely a
            // failure from before the rule, read late from a transcript).
            incident.status = 'new';
            incident.reopened++;
            summary.reopened.push(incident.id);
          }
          fate = { kind: 'counted', incident: incident.id };
          summary.counted++;
        } else {
          const id = incidentId(day, fp, (x) => ids.has(x));
          incident = newIncident({ id, fingerprint: fp, signature: made.signature, category, key: incidentKeyOf(cause, fp), signal: ev.signal, tool, error: ev.error, event: ev.kind, time: ev.time, ...(ev.target ? { target: ev.target } : {}), ...(ev.session ? { session: ev.session } : {}) });
          ids.add(id);
          byFingerprint.set(fp, incident);
          docs.incidents.push(incident);
          fate = { kind: 'opened', incident: id };
          summary.opened.push(id);
        }
        bump(incident.daily, day);
        for (const d of Object.keys(incident.daily)) if (d < addDays(day, -DAILY_DAYS)) delete incident.daily[d];
        touch('incidents', incident);
      }
    }
    if (fate.kind === 'journal') summary.journal++;
    const rec: EventRecord = { id: ev.id, time: ev.time, source: ev.source, kind: ev.kind, fate };
    if (ev.session) rec.session = ev.session;
    if (ev.agent) rec.agent = ev.agent;
    if (ev.tool) rec.tool = ev.tool;
    if (ev.target) rec.target = ev.target;
    if (ev.ok !== undefined) rec.ok = ev.ok;
    if (ev.durationMs !== undefined) rec.durationMs = ev.durationMs;
    if (ev.error) rec.error = ev.error.slice(0, 500);
    if (fp) rec.fingerprint = fp;
    if (category) rec.category = category;
    store(rec);
    summary.stored.push(rec);
  }
  const extra = docs.events.length - opts.recentEvents;
  if (extra > 0) docs.events.splice(0, extra);
  return summary;
}
