import { UserError } from '../errors.js';
import { describeIssues } from '../util/zod-issues.js';
import type { core } from 'zod';

export function restoreHint(rel: string): string {
  return `The file was left untouched. Fix it by hand, or restore its last committed version with: nevo-tui doctor --restore ${rel}`;
}

export class CorruptFileError extends UserError {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}\n${restoreHint(file)}`);
    this.name = 'CorruptFileError';
  }
}

export function schemaError(rel: string, issues: readonly core.$ZodIssue[], data: unknown): CorruptFileError {
  const described = describeIssues(issues, data, 'json');
  const shown = described.slice(0, 5).map((d) => `  - ${d.text}`);
  if (described.length > 5) shown.push(`  - ... and ${described.length - 5} more`);
  return new CorruptFileError(rel, `does not match its schema\n${shown.join('\n')}`);
}
