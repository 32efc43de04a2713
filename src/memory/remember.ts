import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules } from '../rules/load.js';
import type { Narrative } from '../store/schemas.js';
import { dayOf } from '../util/day.js';
import type { Workspace } from '../workspace/workspace.js';
import { extractFacts } from './extract.js';
import { upsertFacts } from './facts.js';
import { sessionFileName } from './journal.js';
import { readSessionJournal } from './journal-store.js';
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
export async function rememberSessions(ws: Workspace, sessions: string[], opts: { external?: boolean } = {}): Promise<Remembered[]> {
  const wanted = [...new Set(sessions)].filter(Boolean);
  if (!wanted.length) return [];
  const rules = ruleTexts(ws.root);
  const [incidentDoc, sessionDoc] = [await ws.store.read('incidents'), await ws.store.read('sessions')];
  const incidents = new Map(incidentDoc.records.map((i) => [i.id, { rules: i.rules, error: i.sample.error }]));
  const cwds = new Map(sessionDoc.records.map((s) => [s.id, s.cwd]));
  const useExternal = opts.external ?? true;

  // The slow part (an external command) happens before the lock is taken.
  const prepared: { session: string; built: ReturnType<typeof buildNarrative>; bytes: number; by: string; fallback?: string; facts: ReturnType<typeof extractFacts> }[] = [];
  for (const session of wanted) {
    const { lines, bytes } = readSessionJournal(ws.root, session);
    if (!lines.length) continue;
    const ctx = { session, cwd: cwds.get(session), timeZone: ws.config.timeZone, incidents, rules };
    let built = buildNarrative(lines, ctx);
    let by = 'builtin';
    let fallback: string | undefined;
    let facts = extractFacts(lines, ctx);
    if (useExternal && ws.config.memory.summarizer.trim()) {
      const ext = await externalNarrative(ws, session, lines, built);
      if (ext.ok) {
        built = { ...built, ...ext.value };
        by = 'external';
      } else fallback = ext.error;
    }
    if (useExternal && ws.config.memory.extractor.trim()) {
      const ext = await externalFacts(ws, session, lines, facts);
      if (ext.ok) facts = [...facts, ...ext.value];
      else fallback = [fallback, ext.error].filter(Boolean).join('; ');
    }
    prepared.push({ session, built, bytes, by, fallback, facts });
  }
  if (!prepared.length) return [];

  const out = await ws.store.transact(
    async (tx) => {
      const narratives = await tx.doc('narratives');
      const factDoc = await tx.doc('facts');
      const results: Remembered[] = [];
      for (const p of prepared) {
        const file = narrativePath(p.session, p.built.start, ws.config.timeZone);
        const at = narratives.records.findIndex((n) => n.id === p.session);
        const old = at >= 0 ? narratives.records[at] : undefined;
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
          if (at >= 0) narratives.records[at] = record;
          else narratives.records.push(record);
          tx.touch('narratives');
        }
        const { added, refreshed } = upsertFacts(factDoc, p.facts, ws.config.memory.ttlDays);
        if (added.length + refreshed.length) tx.touch('facts', added.length + refreshed.length);
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
