import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import type { JobName } from '../store/vocabulary.js';
import type { Workspace } from '../workspace/workspace.js';
import { missedRun } from '../util/cron.js';
import { jobSpecs, type JobSpec } from './jobs.js';
import { runJobOnce, type JobActions, type JobReason, type JobResult } from './run-job.js';
import type { JobExecutor } from './child-run.js';
import { acquireRunner, type RunnerLease, type RunnerOwner } from './runner-lock.js';
import { claimant, recordRun, type Claimant } from './runs.js';
import { cronTimer, type Timer } from './timers.js';

export type RunnerRole = 'idle' | 'runner' | 'standby' | 'stopped';

export interface RunnerOptions {
  /** `tui` or `daemon`: shown to a second instance. */
  kind: string;
  /** Watch triggers/ and ingest on change (the daemon); the TUI already watches it and asks. */
  watchTriggers?: boolean;
  /**
   * Whether something besides the inbox waits to be ingested (the capture by turn: a transcript of
   * an open session grew); asked every `grownPollMs` while ingest is enabled.
   */
  grown?: () => Promise<boolean>;
  grownPollMs?: number;
  /** A standby tries to take over this often (the runner may have stopped). */
  standbyRetryMs?: number;
  /** What each job does (app/jobs.ts gives the application's). */
  actions: JobActions;
  /** Runs a timed job elsewhere (the TUI: in a child process); ingest always runs here. */
  execute?: JobExecutor;
  /** Makes the timer of a timed job (default: node-schedule); tests drive time through it. */
  timer?: typeof cronTimer;
  /** Something changed: the role, or a job started or finished. */
  onChange?: () => void;
  /** One line per run, for the daemon's log. */
  onRun?: (r: JobResult) => void;
  /**
   * A job could not even be claimed or recorded (store/jobs.json is broken, the workspace lock
   * timed out): no run is recorded, so without this the daemon would skip it without a word.
   */
  onError?: (err: Error, name: JobName | null) => void;
}

const INGEST_DEBOUNCE_MS = 200;

/** Why a job (or, with no name, the catch-up) could not even start, as the daemon logs it. */
export function notRunMessage(err: Error, name: JobName | null): string {
  return `${name ? `${name}: not run: ` : ''}${err.message}`;
}

export function waitingTriggers(ws: Workspace): number {
  if (!existsSync(ws.layout.triggers)) return 0;
  return readdirSync(ws.layout.triggers).filter((n) => n.endsWith('.json') && !n.startsWith('.')).length;
}

/**
 * Runs a workspace's jobs in this process: holds the runner lock (or stands by and names the
 * process that holds it), catches up the times missed while nothing ran, fires each job at its
 * cron time, and ingests on change. The timed jobs run one at a time, in the order they became
 * due; ingest has a lane of its own, so new events keep arriving while a self-review waits minutes
 * for an external analyst (every change still takes the workspace lock, so the two never collide).
 */
export class Scheduler {
  role: RunnerRole = 'idle';
  /** Who runs the jobs when this process stands by. */
  owner: RunnerOwner | null = null;
  /** The jobs running now in this process, per lane. */
  private active: { timed: JobName | null; ingest: JobName | null } = { timed: null, ingest: null };
  /** Why the latest run could not even start (store/jobs.json broken, lock timed out); null once one did. */
  lastError: string | null = null;
  private lease: RunnerLease | null = null;
  private timers = new Map<JobName, Timer>();
  private watcher: FSWatcher | null = null;
  private poll: NodeJS.Timeout | null = null;
  private growthPoll: NodeJS.Timeout | null = null;
  private asking = false;
  private retry: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private lanes: { timed: Promise<unknown>; ingest: Promise<unknown> } = { timed: Promise.resolve(), ingest: Promise.resolve() };
  private queued = new Set<JobName>();
  private lastRuns = new Map<JobName, string | undefined>();
  private catching: Promise<unknown> = Promise.resolve();
  private readonly me: Claimant;
  private listeners = new Set<() => void>();

  constructor(
    private readonly ws: Workspace,
    private readonly opts: RunnerOptions,
  ) {
    this.me = claimant(opts.kind);
  }

  /** The job running now in this process (a timed one first: ingest runs are short). */
  get current(): JobName | null {
    return this.active.timed ?? this.active.ingest;
  }

  /** Calls `listener` when the role changes or a job starts or ends; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private failed(err: Error, name: JobName | null): void {
    this.lastError = notRunMessage(err, name);
    this.opts.onError?.(err, name);
  }

  private changed(): void {
    this.opts.onChange?.();
    for (const l of this.listeners) l();
  }

  private get specs(): JobSpec[] {
    return jobSpecs(this.ws.config);
  }

  /** Becomes the runner, or stands by; as the runner, the catch-up runs are queued at once. */
  async start(): Promise<RunnerRole> {
    if (this.role === 'stopped') return this.role;
    const got = await acquireRunner(this.ws.layout, this.opts.kind, this.ws.clock);
    if ('owner' in got) {
      this.role = 'standby';
      this.owner = got.owner;
      this.retry ??= setInterval(() => void this.tryTakeOver(), this.opts.standbyRetryMs ?? 15_000);
      this.retry.unref?.();
      this.changed();
      return this.role;
    }
    if (this.retry) clearInterval(this.retry);
    this.retry = null;
    this.lease = got.lease;
    this.role = 'runner';
    this.owner = null;
    void got.lease.lost.then(() => this.demote());
    this.arm();
    // A run that failed to start was reported by enqueue; what is left is reading store/jobs.json.
    this.catching = this.catchUp().catch((err: Error) => {
      this.failed(err, null);
      return [];
    });
    this.changed();
    return this.role;
  }

  private async tryTakeOver(): Promise<void> {
    if (this.role !== 'standby') return;
    await this.start().catch(() => undefined);
  }

  /** The lock was taken away (the process was suspended past its staleness): stop firing, stand by. */
  private demote(): void {
    if (this.role !== 'runner') return;
    this.disarm();
    this.lease = null;
    this.role = 'idle';
    // Not the lock: a standby retries; a throw here would be an unhandled rejection and end the process.
    void this.start().catch((err: Error) => this.failed(err, null));
  }

  private arm(): void {
    for (const spec of this.specs) {
      if (!spec.enabled) continue;
      if (spec.cron) {
        this.timers.set(spec.name, (this.opts.timer ?? cronTimer)(spec.cron, this.ws.config.timeZone, (fireDate) => void this.enqueue(spec.name, 'schedule', fireDate)));
      } else {
        if (this.opts.watchTriggers) this.watchTriggers();
        this.poll = setInterval(() => this.ingestIfWaiting(), (spec.pollSeconds ?? 60) * 1000);
        this.poll.unref?.();
        if (this.opts.grown) {
          this.growthPoll = setInterval(() => void this.ingestIfGrown(), this.opts.grownPollMs ?? 2000);
          this.growthPoll.unref?.();
        }
      }
    }
  }

  private disarm(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.watcher?.close();
    this.watcher = null;
    if (this.poll) clearInterval(this.poll);
    if (this.growthPoll) clearInterval(this.growthPoll);
    if (this.debounce) clearTimeout(this.debounce);
    this.poll = this.growthPoll = this.debounce = null;
  }

  private watchTriggers(): void {
    if (!existsSync(this.ws.layout.triggers)) return;
    try {
      this.watcher = watch(this.ws.layout.triggers, (_e, name) => {
        if (name && String(name).startsWith('.')) return;
        if (this.debounce) return;
        this.debounce = setTimeout(() => {
          this.debounce = null;
          this.ingestIfWaiting();
        }, INGEST_DEBOUNCE_MS);
      });
    } catch {
      // the poll still finds new triggers
    }
  }

  private ingestIfWaiting(): void {
    if (this.role === 'runner' && !this.queued.has('ingest') && waitingTriggers(this.ws) > 0) void this.enqueue('ingest', 'change');
  }

  /** One question at a time: a slow disk does not pile them up. */
  private async ingestIfGrown(): Promise<void> {
    if (this.role !== 'runner' || this.queued.has('ingest') || this.asking || !this.opts.grown) return;
    this.asking = true;
    try {
      if (await this.opts.grown()) void this.enqueue('ingest', 'change').catch(() => null);
    } catch {
      // A document that cannot be read now: ingest itself will say so at its next run.
    } finally {
      this.asking = false;
    }
  }

  /** Jobs whose last run is older than a time they should have fired at; run once each, in order. */
  dueAtStart(now: Date): { name: JobName; slot: Date }[] {
    return this.specs.flatMap((spec) => {
      if (!spec.enabled || !spec.cron) return [];
      const slot = missedRun(spec.cron, this.ws.config.timeZone, this.lastRuns.get(spec.name), now);
      return slot ? [{ name: spec.name, slot }] : [];
    }).sort((a, b) => a.slot.getTime() - b.slot.getTime());
  }

  /** Runs, once each, the jobs that missed a time while no runner was up; and waiting triggers. */
  async catchUp(): Promise<JobResult[]> {
    this.lastRuns = new Map((await this.ws.store.jobs.list()).map((r) => [r.id, r.lastRun]));
    const due = this.dueAtStart(this.ws.clock());
    const runs: Promise<JobResult | null>[] = [];
    // enqueue reported a run that could not start; the others still run.
    const run = (name: JobName, slot?: Date) => this.enqueue(name, 'catch-up', slot).catch(() => null);
    if (this.specs.find((s) => s.name === 'ingest')?.enabled && waitingTriggers(this.ws) > 0) runs.push(run('ingest'));
    for (const d of due) runs.push(run(d.name, d.slot));
    return (await Promise.all(runs)).filter((r): r is JobResult => r !== null);
  }

  /**
   * Queues a run of `name`; resolves with its result (null when it was already queued, or this
   * process stopped being the runner before its turn).
   */
  enqueue(name: JobName, reason: JobReason, slot?: Date): Promise<JobResult | null> {
    if (this.queued.has(name) && reason !== 'manual') return Promise.resolve(null);
    this.queued.add(name);
    const lane = name === 'ingest' ? 'ingest' : 'timed';
    const run = this.lanes[lane].then(async () => {
      this.queued.delete(name);
      if (this.role !== 'runner' && reason !== 'manual') return null;
      this.active[lane] = name;
      this.changed();
      try {
        const r = this.opts.execute && name !== 'ingest' ? await this.elsewhere(name, reason, slot) : await runJobOnce(this.ws, name, { reason, by: this.me, slot, actions: this.opts.actions });
        this.lastError = null;
        this.opts.onRun?.(r);
        return r;
      } catch (err) {
        // The timers and the watcher drop the promise: say here what stopped the run.
        this.failed(err as Error, name);
        throw err;
      } finally {
        this.active[lane] = null;
        this.changed();
      }
    });
    this.lanes[lane] = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs a job through `execute`. A child that died before it could record its run (or never
   * started) is recorded here as a failed run with why, so the Jobs screen shows it and its
   * running mark, if it left one, is cleared.
   */
  private async elsewhere(name: JobName, reason: JobReason, slot?: Date): Promise<JobResult> {
    const at = this.ws.clock();
    const t0 = performance.now();
    const r = await this.opts.execute!(name, reason, slot);
    if (r.ran || !r.crashed) return r;
    const run = { at: at.toISOString(), durationMs: Math.round(performance.now() - t0), outcome: 'failed' as const, reason, summary: r.reason, by: this.me.by };
    await recordRun(this.ws, name, run);
    return { ran: true, name, run };
  }

  /** When each timed job fires next, as node-schedule will fire it. */
  nextRuns(): Partial<Record<JobName, Date | null>> {
    return Object.fromEntries([...this.timers].map(([name, t]) => [name, t.next()]));
  }

  /** Waits for the catch-up and for the jobs queued meanwhile. */
  async idle(): Promise<void> {
    for (;;) {
      const { timed, ingest } = this.lanes;
      await this.catching;
      await Promise.all([timed, ingest]);
      if (timed === this.lanes.timed && ingest === this.lanes.ingest) return;
    }
  }

  async stop(): Promise<void> {
    if (this.role === 'stopped') return;
    const wasRunner = this.role === 'runner';
    this.role = 'stopped';
    this.disarm();
    if (this.retry) clearInterval(this.retry);
    this.retry = null;
    // A job half-way keeps the lease until it ends, so no other runner starts the same job meanwhile.
    if (wasRunner) await this.idle();
    await this.lease?.release();
    this.lease = null;
  }
}
