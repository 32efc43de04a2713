import * as z from 'zod';
import { guardSchema } from '../rules/rule.js';

/** A rule as an analyst proposes it; nevo gives it an id, dates and the novelty result. */
export const proposedRuleSchema = z.strictObject({
  title: z.string().min(3).max(120),
  /** 1 to 3 sentences, at most 400 characters. */
  body: z.string().min(10).max(400),
  scope: z.string().regex(/^(project|agent:[\w.-]+)$/).default('project'),
  trigger: z.string().min(3),
  enforcement: z.string().min(3),
  verification: z.string().min(3),
  paths: z.array(z.string().min(1)).optional(),
  guard: guardSchema.optional(),
});

/**
 * What an analyst says about one incident: what happened, why (the structural cause), whether it
 * happened before, and one decision.
 */
export const analysisSchema = z.strictObject({
  what: z.string().min(3),
  why: z.string().min(3),
  seenBefore: z.boolean(),
  decision: z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('propose'), rule: proposedRuleSchema }),
    z.strictObject({ action: z.literal('link'), rule: z.string().regex(/^(PROJ|AGENT)-\d{3,}$/), reason: z.string().min(3) }),
    z.strictObject({ action: z.literal('skill-gap'), skill: z.string().min(3), reason: z.string().min(3) }),
    z.strictObject({ action: z.literal('dismiss'), reason: z.string().min(3) }),
  ]),
});

export type Analysis = z.infer<typeof analysisSchema>;
export type ProposedRule = z.infer<typeof proposedRuleSchema>;

/** What the project declares, read from its files, so a rule can name the fix in its terms. */
export interface ProjectFacts {
  /** The scripts of package.json. */
  scripts?: string[];
  /** npm, pnpm, yarn or bun, from the lock file or `packageManager`. */
  packageManager?: string;
  /** uv, poetry or pip, when the project is a Python one. */
  pythonManager?: string;
}

/** The context an analyst gets: the incident, its structured cause, every rule, recent events of its fingerprint, the project and the person's stated preferences. */
export interface AnalystContext {
  incident: import('../store/schemas.js').Incident;
  cause?: import('../detect/cause.js').Cause;
  rules: { id: string; title: string; status: string; body: string; trigger: string; reason?: string; incidents?: { id: string; fingerprint: string }[] }[];
  recentEvents: { time: string; session?: string; target?: string; error?: string }[];
  project?: ProjectFacts;
  /** Preferences from memory ("The project uses pnpm"): no rule may go against them unflagged. */
  preferences?: string[];
}
