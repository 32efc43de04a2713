// Rules for checks that failed where they are signals (the gate): types, lint, tests.
import { runScript, type Template, type TemplateInput } from './common.js';

export function checksTemplate(input: TemplateInput): Template | undefined {
  const { ctx, incident, pm } = input;
  switch (incident.category) {
    case 'type error':
      return {
        why: 'Code was changed without running the type checker, so type errors surfaced later.',
        rule: {
          title: 'Type-check after changing typed code',
          body: `After editing typed code, run the project's type checker (${ctx.project?.scripts?.includes('typecheck') ? `\`${runScript(pm, 'typecheck')}\`` : 'for TypeScript `npx tsc --noEmit`'}) and fix every error before moving on.`,
          scope: 'project',
          trigger: 'After an Edit or Write of a typed source file',
          enforcement: 'Run the type checker before the next step',
          verification: 'No type errors reported by the gate or later commands',
        },
      };
    case 'lint':
      if (input.entity === 'final newline') {
        return {
          why: 'Every finding of the check was "no newline at end of file" (W292): the files were written without a final newline, so each fresh check fails on that alone.',
          rule: {
            title: 'End every file you write with a newline',
            body: "This project's linter flags files without a final newline (W292). End the content you give Write with a newline; for files already written, run `ruff check --fix PATH` once instead of appending newlines one file at a time.",
            scope: 'project',
            trigger: 'When writing a source file with Write',
            enforcement: 'Finish the file content with a newline',
            verification: 'No W292 (no newline at end of file) findings',
          },
        };
      }
      if (input.entity === 'format before commit') {
        const fmt = ctx.project?.scripts?.find((x) => /^(format|fmt|prettier|format:fix|format:write)$/.test(x));
        return {
          why: 'The commit hook checks formatting, and the agent committed files it had not formatted, so the hook refused the commit.',
          rule: {
            title: 'Format changed files before committing',
            body: `The pre-commit hook refuses unformatted files. Before \`git commit\`, run the formatter on the files you changed (${fmt ? `\`${runScript(pm, fmt)}\`` : 'for Prettier `npx prettier --write FILES`'}) and stage the result.`,
            scope: 'project',
            trigger: 'Before `git commit`',
            enforcement: 'Run the formatter on changed files and stage them',
            verification: 'No commits refused by the formatter check in the hook',
          },
        };
      }
      return {
        why: "Changes were made without running the project's linter or formatter, which then failed.",
        rule: {
          title: 'Lint and format changed files before finishing',
          body: `Run the project's linter and formatter on the files you changed${ctx.project?.scripts?.includes('lint') ? ` (\`${runScript(pm, 'lint')}\`)` : ''} and fix what they report before you finish or commit.`,
          scope: 'project',
          trigger: 'Before finishing a change or committing',
          enforcement: 'Run the linter on changed files and fix the findings',
          verification: 'No lint failures at the gate or in CI',
        },
      };
    case 'test failure':
      return {
        why: 'Tests failed after a change: the change was not checked against the tests before moving on.',
        rule: {
          title: 'Run the tests before calling a change done',
          body: `Run the relevant tests${ctx.project?.scripts?.includes('test') ? ` with \`${runScript(pm, 'test')}\`` : ''} after each change and before saying it is done; when one fails, fix the code rather than the assertion.`,
          scope: 'project',
          trigger: 'Before reporting a change as done',
          enforcement: 'Run the tests that cover the changed code',
          verification: 'No failing tests at the quality gate',
        },
      };
    default:
      break;
  }
  return undefined;
}
