import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules } from '../rules/load.js';
import type { Narrative } from '../store/schemas.js';
import { dayOf } from '../util/day.js';
import type { Workspace } from '../workspace/workspace.js';
import { extractFacts } from './extract.js';
import { recordFacts } from './facts.js';
import { sessionFileName } from '../store/raw-journal.js';
import { journalFilesBySession, readSessionJournal, sessionJournalFiles } from '../store/raw-journal-files.js';
import { buildNarrative } from './narrative.js';
import { externalFacts, externalNarrative } from './external.js';
import { refreshMemoryIndex } from './index-file.js';

export interface Remembered {
  session: string;
  narrative: string | null;
  bytesIn: number;
  bytesOut: number;
  factsAdded: number;
  factsRefreshed: number;
  by: string;
  /** Why the external summarizer or extractor was not used, when configured. */
  fallback?: string;
}

/** Where a session's narrative lives: by the day it started, so it stays put while the session goes on. */
export function narrativePath(session: string, start: string, timeZone: string): string {
  return `journal/narratives/${dayOf(start, timeZone)}/${sessionFileName(session)}.md`;
}

function ruleTexts(root: string): Map<string, { text: string; status: string }> {
  return new Map(loadRules(root).rules.map((r) => [r.id, { text: r.body.trim(), status: r.status }]));
}

/**
 * Turns each session's journal into its narrative and facts, in one store change. Run after a
 * session ends (SessionEnd, Stop), after an import, and by consolidation for sessions it missed.
 * Building the same session again gives the same narrative and confirms no fact twice.
 */
export async function rememberSessions(ws: Workspace, sessions: string[], opts: { external?: boolean; force?: boolean } = {}): Promise<Remembered[]> {
  const forgotten = await ws.store.forgotten.ids();
  const wanted = [...new Set(sessions)].filter((s) => s && !forgotten.has(`session:${s}`));
  if (!wanted.length) return [];
  // The narratives and sessions of these sessions only, read from the months that hold them.
  const [narratives, digests] = [await ws.store.narratives.having('id', wanted), await ws.store.digests.list()];
  const rules = ruleTexts(ws.root);
  // A few sessions (an approval's, a session that ended) look for their own files in each day's
  // folder; many (an import, consolidation) list every folder once.
  const files = wanted.length > 8 ? journalFilesBySession(ws.root) : null;
  const journals = new Map(wanted.map((session) => [session, readSessionJournal(ws.root, session, files ? (files.get(sessionFileName(session)) ?? []) : sessionJournalFiles(ws.root, session))]));
  // Only the incidents the sessions met, read from their months: not every incident of the year.
  const met = [...new Set([...journals.values()].flatMap((j) => j.lines.flatMap((l) => (l.incident ? [l.incident] : []))))];
  const [incidentList, sessionList] = [await ws.store.incidents.withIds(met), await ws.store.sessions.having('id', wanted)];
  const incidents = new Map(incidentList.map((i) => [i.id, { rules: i.rules, error: i.sample.error }]));
  const cwds = new Map(sessionList.map((s) => [s.id, s.cwd]));
  const built = new Map(narratives.map((n) => [n.id, n]));
  // A session already folded into a digest gets a narrative of what came after the fold only.
  const foldedAt = new Map<string, string>();
  for (const d of digests) for (const s of d.sessions) if ((foldedAt.get(s) ?? '') < d.builtAt) foldedAt.set(s, d.builtAt);
  const useExternal = opts.external ?? true;

  // The slow part (an external command) happens before the lock is taken.
  const prepared: { session: string; built: ReturnType<typeof buildNarrative>; bytes: number; by: string; fallback?: string; facts: ReturnType<typeof extractFacts> }[] = [];
  for (const session of wanted) {
    const journal = journals.get(session)!;
    const since = foldedAt.get(session);
    const lines = since ? journal.lines.filter((l) => l.time > since) : journal.lines;
    const bytes = journal.bytes;
    if (!lines.length) continue;
    // Nothing new since the last narrative: no work, and no external call charged to the budget.
    if (!opts.force && built.get(session)?.bytesIn === bytes) continue;
    const ctx = { session, cwd: cwds.get(session), timeZone: ws.config.timeZone, incidents, rules };
    let narrative = buildNarrative(lines, ctx);
    let by = 'builtin';
    let fallback: string | undefined;
    let facts = extractFacts(lines, ctx);
    if (useExternal && ws.config.memory.summarizer.trim()) {
      const ext = await externalNarrative(ws, session, lines, narrative);
      if (ext.ok) {
        narrative = { ...narrative, ...ext.value };
        by = 'external';
      } else fallback = ext.error;
    }
    if (useExternal && ws.config.memory.extractor.trim()) {
      const ext = await externalFacts(ws, session, lines, facts);
      if (ext.ok) facts = [...facts, ...ext.value];
      else fallback = [fallback, ext.error].filter(Boolean).join('; ');
    }
    prepared.push({ session, built: narrative, bytes, by, fallback, facts });
  }
  if (!prepared.length) return [];

  const out = await ws.store.transact(
    async (tx) => {
      const results: Remembered[] = [];
      for (const p of prepared) {
        const file = narrativePath(p.session, p.built.start, ws.config.timeZone);
        const [old] = await tx.narratives.having('id', [p.session]);
        // Built from an older journal than the one another run stored meanwhile: keep the newer.
        if (old && old.end > p.built.end) continue;
        const record: Narrative = {
          id: p.session,
          file,
          title: p.built.title,
          summary: p.built.summary,
          start: p.built.start,
          end: p.built.end,
          calls: p.built.calls,
          failures: p.built.failures,
          files: p.built.files,
          bytesIn: p.bytes,
          bytesOut: Buffer.byteLength(p.built.markdown),
          by: p.by,
          builtAt: ws.clock().toISOString(),
          pinned: old?.pinned ?? false,
          hidden: old?.hidden ?? false,
        };
        const abs = join(ws.root, file);
        const same = old && old.file === file && existsSync(abs) && readFileSync(abs, 'utf8') === p.built.markdown;
        if (!same) {
          if (old && old.file !== file) tx.writeFile(old.file, null, { batched: true });
          tx.writeFile(file, p.built.markdown, { batched: true });
          await tx.narratives.upsert([record]);
        }
        const { added, refreshed } = await recordFacts(tx, p.facts, ws.config.memory.ttlDays, forgotten);
        results.push({ session: p.session, narrative: file, bytesIn: p.bytes, bytesOut: record.bytesOut, factsAdded: added.length, factsRefreshed: refreshed.length, by: p.by, ...(p.fallback ? { fallback: p.fallback } : {}) });
      }
      tx.message('memory', `narratives of ${prepared.length} session(s)`);
      return results;
    },
    { purpose: 'memory' },
  );
  await refreshMemoryIndex(ws);
  return out;
}
