import type { Command } from 'commander';
import { homedir } from 'node:os';
import { importAndLearn } from '../app/loop.js';
import { outcomeText } from './analyze.js';
import { defaultProjectsDir } from '../detect/transcript-files.js';
import { emit } from '../output.js';
import { workspaceOf } from './context.js';

export async function run(path: string | undefined, opts: { json?: boolean; allProjects?: boolean }, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  // With no path, Claude Code's folder of every project: only this project's sessions (those that
  // ran in it or below it) unless --all-projects.
  const r = path ? await importAndLearn(ws, path) : await importAndLearn(ws, defaultProjectsDir(process.env, homedir()), opts.allProjects ? {} : { project: ws.projectRoot });
  const { analyzed, remembered } = r;
  emit(opts.json, r, () =>
    [
      ...r.files.map((f) => `${f.status.padEnd(13)} ${f.calls} call(s), ${f.failures} failed, ${f.events} new event(s)  ${f.file}`),
      `Imported ${r.events} event(s) from ${r.files.length} transcript(s): opened ${r.opened.length} incident(s), counted ${r.counted} into known ones.`,
      r.otherProjects ? `Left out ${r.otherProjects} transcript(s) of other projects; \`--all-projects\` imports them too.` : '',
      r.skipped.broken || r.skipped.unknownType ? `Skipped ${r.skipped.broken} unreadable line(s) and ${r.skipped.unknownType} line(s) of unknown type.` : '',
      ...analyzed.map(outcomeText),
      remembered.length ? `Wrote the narratives of ${remembered.length} session(s) (${remembered.reduce((a, m) => a + m.bytesIn, 0)} journal bytes into ${remembered.reduce((a, m) => a + m.bytesOut, 0)}); ${remembered.reduce((a, m) => a + m.factsAdded, 0)} new fact(s).` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
