import { UserError } from '../errors.js';
import type { Digest, Fact, Narrative } from '../store/schemas.js';
import { isExpired, provenanceOf } from './facts.js';
import type { MemoryItem, MemoryKind } from './item.js';

export function factItem(f: Fact): MemoryItem {
  const item: MemoryItem = {
    id: `fact:${f.id}`,
    kind: 'fact',
    title: f.statement,
    text: f.statement,
    category: f.category,
    time: f.lastConfirmed,
    confidence: f.confidence,
    pinned: f.pinned,
    hidden: f.hidden,
    provenance: provenanceOf(f),
  };
  if (f.source.session) item.session = f.source.session;
  if (f.expires && !f.pinned) item.expires = f.expires;
  return item;
}

export function narrativeItem(n: Narrative): MemoryItem {
  return { id: `narrative:${n.id}`, kind: 'narrative', title: n.title, text: n.summary.startsWith(n.title.replace(/…$/, '')) ? n.summary : `${n.title}. ${n.summary}`, category: 'narrative', time: n.end, confidence: 1, pinned: n.pinned, hidden: n.hidden, session: n.id };
}

export function digestItem(d: Digest): MemoryItem {
  return { id: `digest:${d.id}`, kind: 'digest', title: d.title, text: `${d.title}. ${d.summary}`, category: d.period, time: `${d.to}T23:59:59.000Z`, confidence: 1, pinned: d.pinned, hidden: d.hidden };
}

/** Everything search can find; expired facts (not yet consolidated away) are left out. */
export function memoryItems(facts: Fact[], narratives: Narrative[], digests: Digest[], now: Date): MemoryItem[] {
  // A fact waiting for review is not recalled: it is nobody's word yet.
  return [...facts.filter((f) => !isExpired(f, now) && !f.pending).map(factItem), ...narratives.map(narrativeItem), ...digests.map(digestItem)];
}

/** The store document that holds the records of each kind. */
const DOC_OF = { fact: 'facts', narrative: 'narratives', digest: 'digests' } as const satisfies Record<MemoryKind, string>;

export interface ItemId {
  kind: MemoryKind;
  /** The record's id in its document. */
  record: string;
  doc: (typeof DOC_OF)[MemoryKind];
}

/** `fact:<id>` → the kind, the record id and the document it is in. */
export function splitItemId(id: string): ItemId | null {
  const m = /^(fact|narrative|digest):(.+)$/.exec(id);
  if (!m) return null;
  const kind = m[1] as MemoryKind;
  return { kind, record: m[2]!, doc: DOC_OF[kind] };
}

/** As splitItemId, for an id a person typed: a UserError saying what ids look like. */
export function parseItemId(id: string): ItemId {
  const split = splitItemId(id);
  if (!split) throw new UserError(`"${id}" is not a memory id: ids look like fact:0123456789abcdef, narrative:<session> or digest:weekly:2026-W47 (see \`nevo-tui memory search --json\`).`);
  return split;
}
