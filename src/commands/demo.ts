import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { importAndLearn } from '../app/loop.js';
import { lastTimestamp, recentShifts, redateTranscript } from '../detect/redate.js';
import { emit } from '../output.js';
import { shellArg } from '../util/format.js';
import { packageRoot } from '../util/package-root.js';
import { initWorkspace } from '../app/init.js';
import { workspaceStatus } from '../app/status.js';
import { openWorkspace } from '../workspace/workspace.js';
import { startServing } from './serve-search.js';

/**
 * A scratch project with a fresh workspace, never inside the repository the command runs from,
 * holding the package's sample sessions: incidents and proposals to look at from the first second.
 */
export async function run(opts: { json?: boolean; dir?: string; tui?: boolean; asRecorded?: boolean }, _cmd: Command): Promise<void> {
  const project = opts.dir ? resolve(opts.dir) : mkdtempSync(join(tmpdir(), 'nevo-demo-'));
  const init = await initWorkspace({ project, cwd: project });
  const ws = openWorkspace(init.workspace);
  const shipped = join(packageRoot(), 'journal', 'samples');
  const samples = opts.asRecorded ? shipped : recentCopies(shipped, join(project, 'samples'), ws.clock().getTime());
  const imported = await importAndLearn(ws, samples);
  const interactive = opts.tui !== false && !opts.json && process.stdin.isTTY && process.stdout.isTTY;
  if (interactive) {
    const { runTui } = await (await import('../tui/load.js')).loadTui();
    await runTui(ws, { screen: 'review', serve: startServing });
    process.stdout.write(`The demo workspace stays in ${init.workspace}; open it again with: ${openCommand(init.workspace)}\n`);
    return;
  }
  const status = await workspaceStatus(ws);
  emit(opts.json, { ...status, project, imported: imported.events }, () =>
    [
      `Demo workspace ready in ${project}`,
      `  imported ${imported.events} events from ${imported.files.length} sample session(s); ${imported.opened.length} incident(s) opened and analyzed`,
      `  ${status.rules} rules, ${status.skills} skills; last commit ${status.lastCommit?.subject ?? '-'}`,
      '',
      `Open it in a terminal: ${openCommand(status.workspace)}`,
    ].join('\n'),
  );
}

/**
 * Copies of the sample transcripts moved to the last days (one session a day, the newest ending
 * five minutes ago), in the demo project: recorded months ago, they would leave today and the last 7 days empty.
 */
function recentCopies(from: string, to: string, now: number): string {
  mkdirSync(to, { recursive: true });
  const files = readdirSync(from).filter((f) => f.endsWith('.jsonl')).sort();
  const texts = files.map((f) => readFileSync(join(from, f), 'utf8'));
  const shifts = recentShifts(texts.map((t) => lastTimestamp(t) ?? now), now);
  files.forEach((f, i) => writeFileSync(join(to, f), redateTranscript(texts[i]!, shifts[i]!)));
  return to;
}

/** A command that opens the workspace whether or not nevo-tui is on PATH (npm start does not put it there), quoted for the shell it is pasted into. */
function openCommand(workspace: string): string {
  const ws = shellArg(workspace);
  return `node ${shellArg(join(packageRoot(), 'dist', 'bin.cjs'))} --workspace ${ws}  (or \`nevo-tui --workspace ${ws}\` once \`npm link\` put nevo-tui on your PATH)`;
}
