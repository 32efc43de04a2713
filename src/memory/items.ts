import type { Digest, Fact, Narrative } from '../store/schemas.js';
import { isExpired } from './facts.js';
import type { MemoryItem } from './item.js';

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
  return [...facts.filter((f) => !isExpired(f, now)).map(factItem), ...narratives.map(narrativeItem), ...digests.map(digestItem)];
}

/** `fact:<id>` → the kind and the record id. */
export function splitItemId(id: string): { kind: 'fact' | 'narrative' | 'digest'; record: string } | null {
  const m = /^(fact|narrative|digest):(.+)$/.exec(id);
  return m ? { kind: m[1] as 'fact' | 'narrative' | 'digest', record: m[2]! } : null;
}
