import { UserError } from '../errors.js';
import { runExternal } from '../external/call.js';
import type { LedgerEntry } from '../store/schemas.js';
import { packageRoot } from '../util/package-root.js';
import { describeIssues } from '../util/zod-issues.js';
import type { Workspace } from '../workspace/workspace.js';
import { ANALYST_SKILL, buildPrompt, loadAnalystSkill } from './prompt.js';
import { analysisSchema, type Analysis, type AnalystContext } from './schema.js';

export interface ExternalResult {
  analysis: Analysis;
  ledger: LedgerEntry;
}

/** Asks the configured external analyst about one incident (see `runExternal`). */
export async function runExternalAnalyst(ws: Workspace, ctx: AnalystContext, opts: { command?: string; timeoutMs?: number } = {}): Promise<ExternalResult> {
  const command = (opts.command ?? ws.config.analyst.command).trim();
  if (!command) throw new UserError('no external analyst is configured: set analyst.command in config.json (for example "claude -p --output-format json").');
  const { value, ledger } = await runExternal<Analysis>(ws, {
    kind: 'analyst',
    command,
    timeoutMs: opts.timeoutMs ?? ws.config.analyst.timeoutMs,
    prompt: buildPrompt(loadAnalystSkill(ws.root, packageRoot()), ctx),
    subject: ctx.incident.id,
    check: (v) => {
      const checked = analysisSchema.safeParse(v);
      if (checked.success) return { ok: true, value: checked.data };
      const issues = describeIssues(checked.error.issues, v, 'field').map((d) => `  - ${d.text}`);
      return { ok: false, error: `the analyst command \`${command}\` answered JSON that is not a valid analysis:\n${issues.join('\n')}\nSee ${ANALYST_SKILL} for the expected shape.` };
    },
  });
  return { analysis: value, ledger };
}
