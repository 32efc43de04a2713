// The review queue as one piece of data, in the order the Review screen shows it: open gate
// escalations, rules in a sync conflict, proposed rules with their evidence, preferences and lessons the agent proposed;
// and the recent reasons a rejection can reuse. Pure: `nevo-tui review` prints it.
import type { Fact, Incident } from '../store/schemas.js';
import { openEscalations, parseEscalation } from '../gate/escalations.js';
import { evidenceFor, type ProposalEvidence } from '../rules/evidence.js';
import { statedPreferences } from '../rules/preferences.js';
import { recentRejectReasons } from '../rules/reasons.js';
import type { Rule } from '../rules/rule.js';
import type { SyncConflict } from './sync-merge.js';

export interface QueuedEscalation {
  id: string;
  status: Incident['status'];
  stage: string | null;
  iterations: number | null;
  count: number;
  sessions: number;
  firstSeen: string;
  lastSeen: string;
  lastOutput: string;
}

export type QueuedProposal = ProposalEvidence & Pick<Rule, 'body' | 'trigger' | 'enforcement' | 'verification' | 'novelty' | 'file'> & { paths: string[] };

export interface ReviewQueue {
  escalations: QueuedEscalation[];
  /** Rules another member changed too (the last sync's conflicts): whose version stays. */
  conflicts: SyncConflict[];
  proposals: QueuedProposal[];
  facts: { id: string; category: Fact['category']; statement: string; by: string }[];
  /** Reasons given to the rules rejected most recently, newest first: what `r` offers by number. */
  reasons: string[];
}

export function reviewQueue(input: { rules: readonly Rule[]; incidents: Incident[]; facts: readonly Fact[]; commits: readonly { subject: string }[]; threshold: number; conflicts?: readonly SyncConflict[] }): ReviewQueue {
  const proposed = input.rules.filter((r) => r.status === 'proposed');
  const evidenceOf = evidenceFor({ rules: input.rules, incidents: input.incidents, preferences: statedPreferences(input.facts), threshold: input.threshold, subjects: proposed });
  return {
    escalations: openEscalations(input.incidents).map((i) => {
      const view = parseEscalation(i.sample.error);
      return { id: i.id, status: i.status, stage: view.stage ?? i.tool.replace(/^breaker:/, ''), iterations: view.iterations, count: i.count, sessions: i.sessions.length, firstSeen: i.firstSeen, lastSeen: i.lastSeen, lastOutput: view.output };
    }),
    conflicts: [...(input.conflicts ?? [])],
    proposals: proposed.map((rule) => ({
      ...evidenceOf(rule),
      body: rule.body,
      trigger: rule.trigger,
      enforcement: rule.enforcement,
      verification: rule.verification,
      paths: rule.paths ?? [],
      novelty: rule.novelty,
      file: rule.file,
    })),
    facts: input.facts.filter((f) => f.pending).map((f) => ({ id: `fact:${f.id}`, category: f.category, statement: f.statement, by: f.source.by })),
    reasons: recentRejectReasons(input.rules, input.commits),
  };
}
