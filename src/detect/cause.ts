// What went wrong in a failed tool call, read from its structure: the tool, the exit code, the
// command the shell ran (parsed, see shell.ts) and the first line the failing program printed,
// matched against the known messages of the common tools in their current wordings. Words found
// anywhere in the output decide nothing: "validation failed" in a pre-commit hook's log is not an
// input validation error, and "failed" in a build log is not a test failure.
import { withoutShellNoise } from './shell-noise.js';
import type { Category } from '../store/vocabulary.js';
import { categorise } from './category.js';
import { shellCommands, type ShellCommand } from './shell.js';
import { isShellTool } from './shell-tool.js';
import { bashInPowerShell, PS_CHECKS, PS_FILTERS, PS_LOOKS, PS_NOT_RECOGNIZED, PS_SILENCED, psAnswersNo, psName, slashOptionsMangled } from './windows-shells.js';

/** Failures that are not the agent's mistake, or are the work itself: counted, never reviewed. */
export const NOISE_KINDS = ['declined', 'interrupted', 'cascade', 'probe', 'test-run', 'lint-feedback', 'hook-block', 'transient', 'task-expected'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

export interface Cause {
  category: Category;
  /** What the mistake is about: the program, script, module or tool; '' when the category says it all. */
  entity: string;
  /** `category:entity`: two failures with the same key are the same mistake. */
  key: string;
  /** What the text of a rule names when the key does not: the script that was missing. */
  subject?: string;
  /** The command that failed (`git push`, `npm test`), when a shell ran it. */
  program?: string;
  /** A missing program's caller: the script that looked for it (`xdg-open` for `www-browser`), not the agent's command line. */
  calledBy?: string;
  exitCode?: number;
  /** The line that says what went wrong, trimmed. */
  firstLine: string;
  noise?: { kind: NoiseKind; why: string };
}

export interface FailedCall {
  tool: string;
  /** The Bash command, or the file the call worked on. */
  target?: string;
  error: string;
  interrupted?: boolean;
  /** The folder the agent worked in: an MCP server named like it is the project under work. */
  cwd?: string;
  /** A command of the same session rewrote the file after it was last read (see rewritesFile). */
  rewrittenByOwnCommand?: boolean;
}

const TEST_RUNNERS = new Set(['rspec', 'minitest', 'pytest', 'py.test', 'jest', 'vitest', 'mocha', 'ava', 'tap', 'karma', 'playwright', 'cypress', 'phpunit', 'pest', 'rspec', 'bats', 'ctest', 'nextest', 'tox', 'nox']);
const CHECKERS = new Set(['markdownlint', 'markdownlint-cli2', 'vale', 'cspell', 'codespell', 'yamllint', 'actionlint', 'sqlfluff', 'eslint_d', 'eslint', 'prettier', 'biome', 'ruff', 'flake8', 'pylint', 'black', 'isort', 'mypy', 'pyright', 'tsc', 'vue-tsc', 'stylelint', 'clippy', 'golangci-lint', 'shellcheck', 'rubocop', 'markdownlint', 'hadolint', 'oxlint', 'dprint', 'gofmt', 'credo', 'dialyzer', 'svelte-check', 'knip', 'tflint', 'ktlint', 'detekt', 'swiftlint', 'phpstan', 'psalm', 'phpcs', 'php-cs-fixer', 'clang-tidy', 'cppcheck', 'semgrep', 'bandit', 'pycodestyle', 'pydocstyle', 'standardrb', 'staticcheck', 'revive', 'taplo', 'typos', 'basedpyright', 'ty', 'zizmor', 'commitlint', 'djlint', 'htmlhint', 'editorconfig-checker']);
const SCRIPT_RUNNERS = new Set(['npm', 'pnpm', 'yarn', 'bun', 'composer']);
const LINT_SCRIPT = /^(lint|format|fmt|prettier|eslint|typecheck|type-check|types|check|tsc|check-types|check:types|lint:\S+|format:\S+|typecheck:\S+|ci:lint|style)$/;
// `verify`, `validate`, `ci`, `preflight`: a project's all-checks script (types, lint, tests) going red is the checks at work.
const TEST_SCRIPT = /^(test|tests|test:\S+|test-\S+|e2e|spec|unit|coverage|vitest|jest|check-tests|verify|validate|ci|check-all|preflight|precommit|pre-commit)$/;

const lower = (s: string) => s.toLowerCase();

function lines(error: string): string[] {
  return error
    .replace(/<\/?tool_use_error>/g, '')
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

function exitCodeOf(error: string): number | undefined {
  const m = /^\s*(?:<tool_use_error>)?(?:Error: )?Exit code (\d+)/.exec(error);
  return m ? Number(m[1]) : undefined;
}

/** A line that says what failed, in the words tools start such a line with: `fatal:`, `error[E0425]:`, `✘ [ERROR]`, `npm error`, `prog: No such file`. */
const FAILURE_LINE = /^(?:fatal|error|err!|panic|FAILED|FAIL|failure)\b|^(?:✘|×|✖|❌)\s|^\[(?:ERROR|FATAL|FAIL)\]|^(?:npm|pnpm|yarn|cargo|go|mise|uv) (?:error|ERR!)|^[\w./-]+: (?:error|fatal|cannot|can't|no such|command not found|not found|permission denied|invalid|unknown|unrecognized)\b|^\w*(?:Error|Exception)(?:\[\w+\])?:\s/i;
/** Lines a command prints before its error: progress, notices, banners. */
const PREAMBLE = /^(?:warning|warn|note|info|hint|debug)\b|^\[(?:warn|info|debug|note)\]|^(?:▲|⚠|ℹ|✔|✓|•|\$|>)\s|^={3,}|^-{3,}|^(?:Switched to|Already on|Your branch|Compiling|Checking|Downloading|Downloaded|Installing|Resolving|Fetching|Updating|Running|Building|Finished|Blocking waiting)\b/i;

/**
 * The line that carries the message (not the exit code, not a blank, not a bare "Error:"): the
 * exception a Python traceback ends with, else the first line shaped like a failure, else the
 * first line that is not a preamble, else the first line.
 */
function messageLine(ls: string[]): string {
  // A cut-off mark (`…[1640 more chars]`, `... [40 lines truncated] ...`) says nothing of the failure.
  const rest = ls.filter((l) => !/^Exit code \d+$/.test(l) && !/^Error:?$/.test(l) && !/^(?:…|\.\.\.) ?\[\d+ (?:more )?(?:chars|characters|lines)(?: truncated)?\](?: \.\.\.)?$/.test(l));
  let at = 0;
  if (/^Traceback \(most recent call last\)/.test(rest[0] ?? '')) {
    const exc = rest.findLastIndex((l) => /^[\w.]*(?:Error|Exception|Exit|Interrupt)\b/.test(l));
    if (exc > 0) at = exc;
  } else {
    const failure = rest.findIndex((l) => FAILURE_LINE.test(l));
    const plain = rest.findIndex((l) => !PREAMBLE.test(l));
    at = failure >= 0 ? failure : plain >= 0 ? plain : 0;
  }
  const first = rest[at] ?? '';
  return (first.endsWith(':') && rest[at + 1] ? `${first} ${rest[at + 1]}` : first).slice(0, 200);
}

function make(category: Category, entity: string, firstLine: string, exitCode: number | undefined, noise?: Cause['noise']): Cause {
  const cause: Cause = { category, entity, key: `${category}:${entity}`, firstLine };
  if (exitCode !== undefined) cause.exitCode = exitCode;
  if (noise) cause.noise = noise;
  return cause;
}

/** Python project runners and their words for a tool the project's environment lacks (analyze/templates/shell.ts gives each its fix). */
export const ENV_RUNNERS = [
  { runner: 'uv', says: /Failed to spawn: `([\w.+-]+)`\s*\n\s*Caused by: No such file or directory/, quote: 'Failed to spawn', shown: (t: string) => `Failed to spawn: \`${t}\``, add: 'uv add', dev: ' --dev', once: (t: string) => `uv run --with ${t} ${t}` },
  { runner: 'poetry', says: /^Command not found: ([\w.+-]+)$/m, quote: 'Command not found', shown: (t: string) => `Command not found: ${t}`, add: 'poetry add', dev: ' --group dev', once: undefined },
] as const;

/** Task runners whose first word (after `run`) names a task of the project. */
const TASK_RUNNERS = new Set(['mise', 'just', 'make', 'task', 'turbo', 'nx', 'rake', 'invoke', 'poe', 'hatch', 'pdm', 'nox', 'tox', 'moon', 'lerna']);

/** The script a package-manager or task-runner command runs: `npm run build` → build, `pnpm test` → test, `mise run lint` → lint. */
/** Options of package managers whose value is a package or folder, not the script: `pnpm --filter web test`, `npm -w api test`. */
const PACKAGE_OPTIONS: Record<string, string[]> = { npm: ['-w', '--workspace', '--prefix'], pnpm: ['--filter', '-F', '-C', '--dir'], yarn: ['--cwd'], bun: ['--filter', '--cwd'], composer: ['-d', '--working-dir'] };

function scriptOf(cmd: ShellCommand): string | undefined {
  const valued = PACKAGE_OPTIONS[cmd.program] ?? [];
  let words = cmd.args.filter((a, i) => !a.startsWith('-') && !valued.includes(cmd.args[i - 1] ?? ''));
  // `yarn workspace api test`: the script of one package.
  if (cmd.program === 'yarn' && words[0] === 'workspace') words = words.slice(2);
  // `npx turbo run test`, `pnpm nx test`: the task runner run through a package runner.
  if (['npx', 'pnpx', 'bunx', 'pnpm', 'yarn', 'bun'].includes(cmd.program) && TASK_RUNNERS.has(words[0] ?? '')) {
    const inner = cmd.args.slice(cmd.args.indexOf(words[0]!) + 1);
    return scriptOf({ ...cmd, program: words[0]!, args: inner });
  }
  // `nx run-many -t test`, `nx affected --target=lint`: the target is an option's value.
  if (cmd.program === 'nx' && (words[0] === 'run-many' || words[0] === 'affected')) {
    const at = cmd.args.findIndex((a) => a === '-t' || a === '--target' || a === '--targets');
    return at >= 0 ? cmd.args[at + 1]?.split(',')[0] : cmd.args.find((a) => /^--targets?=/.test(a))?.replace(/^--targets?=/, '').split(',')[0];
  }
  if (TASK_RUNNERS.has(cmd.program)) return words[0] === 'run' ? words[1] : words[0];
  if (!SCRIPT_RUNNERS.has(cmd.program)) return undefined;
  if (words[0] === 'run' || words[0] === 'run-script') return words[1];
  if (words[0] && ['test', 't', 'lint'].includes(words[0])) return words[0] === 't' ? 'test' : words[0];
  return cmd.program === 'npm' ? undefined : words[0];
}

/** A project's own test script: `./test.sh`, `scripts/run_tests.sh`, `.claude/skills/x/test-harness.sh`, `scripts/run-eval.py`. */
const TEST_FILE = /(^|[-_.])(tests?|spec|e2e|harness|evals?)([-_.]|$)/i;

function isTestRun(cmd: ShellCommand): boolean {
  const script = scriptOf(cmd);
  if (script && TEST_SCRIPT.test(script)) return true;
  if (/\.(sh|bash|py|js|mjs|ts)$/.test(cmd.program) && TEST_FILE.test(cmd.program)) return true;
  if (TEST_RUNNERS.has(cmd.program)) return true;
  // Gradle's test tasks, of a module or a variant too: `:app:test`, `testDebugUnitTest`, `connectedAndroidTest`.
  if (GRADLE.has(cmd.program) && cmd.args.some((a) => /^(?::[\w-]+)*:?(?:test(?:[A-Z]\w*)?|connected\w*AndroidTest)$/.test(a))) return true;
  // Laravel's `php artisan test` runs PHPUnit or Pest.
  if (cmd.program === 'php' && cmd.args[0] === 'artisan' && cmd.args[1] === 'test') return true;
  const program = cmd.program.replace(/^.*[\\/]/, '');
  if (BUILD_TOOLS_WITH_TEST.has(program) && cmd.args.some((a) => a === 'test' || a === 'tests' || (a === 'check' && program === 'make'))) return true;
  // `cargo nextest run`; Django's `python manage.py test`.
  if (program === 'cargo' && cmd.args[0] === 'nextest') return true;
  if (/^python[\d.]*$/.test(program) && /(?:^|[\\/])manage\.py$/.test(cmd.args[0] ?? '') && cmd.args[1] === 'test') return true;
  if (RUNS_TOOLS.has(cmd.program) || cmd.program === 'node') {
    // A suite runner by its whole name (`scripts/run-eval.py`, `run_tests.py`, `self-test.ts`,
    // `smoke_test.py`, `health-check.js`); `test.py` or
    // `node test-create.js` is more often a one-off try than a suite.
    const script = cmd.args.find((a) => !a.startsWith('-'));
    if (script && /\.(?:py|[cm]?js|ts|rb|sh)$/.test(script) && /^(?:run[-_]?(?:all[-_]?)?(?:tests|evals?|e2e|specs)|all[-_]tests|evals?|(?:self|smoke)[-_]?tests?|health[-_]?checks?)$/i.test(script.replace(/^.*[\\/]/, '').replace(/\.\w+$/, ''))) return true;
    return cmd.args.some((a) => TEST_RUNNERS.has(a) || a === 'unittest' || /(^|\/)test_\w+\.py$|_test\.(?:py|exs|go)$|\.test\.[cm]?[jt]sx?$|_spec\.rb$/.test(a));
  }
  return false;
}

/** Build tools whose `test` subcommand or task runs the project's tests (wrappers such as `./mvnw` by their name). */
const BUILD_TOOLS_WITH_TEST = new Set(['cargo', 'go', 'mix', 'dotnet', 'swift', 'deno', 'bun', 'zig', 'gradle', 'gradlew', 'mvn', 'mvnw', 'make', 'just', 'rake', 'rails', 'flutter', 'dart', 'elixir', 'xcodebuild', 'stack', 'cabal', 'sbt', 'lein', 'meson', 'bazel', 'bazelisk', 'buck2', 'pants']);

/** Programs that run another tool named in their arguments: `bundle exec rubocop`, `uv run ruff`, `pnpm exec eslint`. */
const RUNS_TOOLS = new Set(['npx', 'pnpx', 'bunx', 'uvx', 'python', 'python3', 'uv', 'poetry', 'pipenv', 'hatch', 'pdm', 'bundle', 'pnpm', 'yarn', 'bun', 'deno', 'rails', 'ruby', 'mix', 'dotnet', 'gradle', 'gradlew', './gradlew', 'mvn', 'swift']);
/** Build tools' own check subcommands. */
const CHECK_SUBCOMMANDS: Record<string, string[]> = {
  cargo: ['clippy', 'fmt', 'check'],
  go: ['vet'],
  mix: ['format', 'credo', 'dialyzer', 'sobelow'],
  dotnet: ['format'],
  deno: ['lint', 'check', 'fmt'],
  gradle: ['check', 'lint', 'ktlintCheck', 'detekt', 'spotlessCheck'],
  gradlew: ['check', 'lint', 'ktlintCheck', 'detekt', 'spotlessCheck'],
  swift: ['format'],
  goreleaser: ['check'],
  terraform: ['validate', 'fmt'],
  tofu: ['validate', 'fmt'],
  helm: ['lint'],
  buf: ['lint', 'breaking'],
  poetry: ['check'],
  // Running the hooks by hand is the checks at work; a commit refused by them is read apart (shellCause).
  'pre-commit': ['run'],
  lefthook: ['run'],
};

/** A package script named for a check among other words: `design-review:local`, `check:links`, `audit-deps`. */
const CHECKER_SCRIPT = /(?:^|[-_:])(?:lint|check|validate|audit|review|scan)(?:[-_:]|$)/;

function isCheckRun(cmd: ShellCommand): boolean {
  const script = scriptOf(cmd);
  if (script && (LINT_SCRIPT.test(script) || CHECKER_SCRIPT.test(script))) return true;
  if (CHECKERS.has(cmd.program)) return true;
  // A project's own check script or devshell command: `lint`, `./scripts/typecheck.sh`.
  if (LINT_SCRIPT.test(cmd.program.replace(/\.(?:sh|bash|py|js|mjs|ts)$/, ''))) return true;
  if (CHECK_SUBCOMMANDS[cmd.program]?.some((sub) => cmd.args.includes(sub))) return true;
  // `mix compile --warnings-as-errors`, `tsc -b`: compiling to find the warnings is the check.
  if (cmd.args.includes('--warnings-as-errors') || cmd.args.includes('-warnaserror')) return true;
  if (RUNS_TOOLS.has(cmd.program)) return cmd.args.some((a) => CHECKERS.has(a));
  return false;
}

/** A project's own checker by its file's name: `scripts/prd-validator.py`, `security-scanner.py`, `check_links.sh`, `scripts/pre-commit.sh`. */
const CHECKER_FILE = /(?:^|[-_.])(?:validat(?:e|or|ion)|scan(?:ner)?|checker|check|lint(?:er)?|audit(?:or)?|verif(?:y|ier)|pre-?commit)(?:[-_.]|$)/i;
const SCRIPT_FILE = /\.(?:py|[cm]?js|ts|sh|bash|rb)$/;
const SCRIPT_HOSTS = new Set(['python', 'python3', 'node', 'bash', 'sh', 'zsh', 'ruby', 'tsx', 'ts-node', 'deno', 'bun', 'uv', 'poetry']);

/** The checker script a command runs, by its own path or through an interpreter, or undefined. */
function checkerScriptOf(cmd: ShellCommand): string | undefined {
  const base = (p: string) => p.replace(/^.*[\\/]/, '').replace(SCRIPT_FILE, '');
  if (SCRIPT_FILE.test(cmd.raw) && CHECKER_FILE.test(base(cmd.raw))) return base(cmd.raw);
  if (!SCRIPT_HOSTS.has(cmd.program)) return undefined;
  const script = cmd.args.filter((a) => a !== 'run').find((a) => !a.startsWith('-'));
  return script && SCRIPT_FILE.test(script) && CHECKER_FILE.test(base(script)) ? base(script) : undefined;
}
/** The checker itself did not run to its report: it crashed, was not found or was called wrongly. */
const CHECKER_BROKE = /Traceback \(most recent call last\)|can't open file|No such file or directory|command not found|Cannot find module|ModuleNotFoundError|ImportError|SyntaxError|^\s*usage:|Permission denied|ENOENT|is not recognized as/im;

/** Compilers and the scripts that run them: their findings in the code are the work, like a linter's. */
const COMPILERS = new Set(['tsc', 'vue-tsc', 'make', 'cmake', 'ninja', 'gcc', 'g++', 'cc', 'clang', 'clang++', 'javac', 'kotlinc', 'rustc', 'swiftc', 'zig', 'esbuild', 'webpack', 'rollup', 'vite', 'next', 'nuxt', 'astro', 'tsup', 'esphome', 'platformio', 'pio', 'idf.py', 'arduino-cli']);
const BUILD_SCRIPT = /^(build|compile|build:\S+|compile:\S+|\S+:build|bundle)$/;
const GRADLE = new Set(['gradle', 'gradlew', './gradlew']);
/** Containers build by running scripts: what fails in there is the environment, not lines of code. */
const NOT_CODE_BUILDS = new Set(['docker', 'podman', 'buildah', 'nerdctl', 'nix-build']);

function isBuildRun(cmd: ShellCommand): boolean {
  if (NOT_CODE_BUILDS.has(cmd.program)) return false;
  const script = scriptOf(cmd);
  if (script && BUILD_SCRIPT.test(script)) return true;
  if (COMPILERS.has(cmd.program.replace(/^.*\//, ''))) return true;
  // `npx webpack`, `bunx vite build`: the compiler run through a package runner.
  const run = ['npx', 'pnpx', 'bunx'].includes(cmd.program) ? cmd.args.find((a) => !a.startsWith('-')) : undefined;
  if (run && COMPILERS.has(run)) return ['next', 'nuxt', 'astro', 'vite'].includes(run) ? cmd.args.includes('build') : !cmd.args.some((a) => ['dev', 'start', 'preview', 'serve', '--watch', '-w'].includes(a));
  // Gradle's compile and assemble tasks, of a module too: `compileKotlin`, `:app:assembleDebug`.
  if (GRADLE.has(cmd.program) && cmd.args.some((a) => /^(?::[\w-]+)*:?(?:compile|assemble|build)[A-Z]\w*$/.test(a))) return true;
  // `go build`, `cargo build`, `nix develop --command go build`, `esphome compile x.yaml`
  return cmd.args.some((a) => a === 'build' || a === 'compile' || a === 'assemble');
}

/** A finding that points into the code: `a.ts(3,9): error TS2322`, `main.go:26:2: ...`, `[source x.yaml:121]`. */
const CODE_FINDING = /^\s*\S+\.[A-Za-z]\w{0,5}\(\d+,\d+\): (?:error|warning)|^\s*\.?\/?[\w./@-]+\.[A-Za-z]\w{0,5}:\d+(?::\d+)?(?::| -) \S|\[source [^\]\s]+:\d+\]|^ERROR in \.?\/?[\w./@-]+\.[A-Za-z]\w{0,5} \d+:\d+|^\s*--> [\w./-]+\.rs:\d+:\d+/m;

/** curl's exit codes for a place that did not answer: could not connect, timed out, empty reply, receive failed. */
const CURL_UNREACHED = new Set([7, 28, 52, 56]);

/** ssh's options that take a value: the host is the first word that is not one of them. */
const SSH_VALUE_OPTIONS = new Set(['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w']);

/** The command `ssh [options] host cmd…` runs on the remote side, if it names one. */
function remoteCommandOf(cmd: ShellCommand): string | undefined {
  let i = 0;
  while (i < cmd.args.length && cmd.args[i]!.startsWith('-')) i += SSH_VALUE_OPTIONS.has(cmd.args[i]!) ? 2 : 1;
  const rest = cmd.args.slice(i + 1);
  return rest.length ? rest.join(' ') : undefined;
}

/** A test file named on the command line: `src/a.test.ts`, `__tests__/b.js`, `tests/test_c.py`. */
const TEST_FILE_ARG = /\.(?:test|spec)\.[cm]?[jt]sx?$|(?:^|\/)__tests__\/|(?:^|\/)test_\w+\.py$/;

/** A coverage run (`npm run test:coverage -- a.test.ts`, `jest --coverage b.test.ts`) over some test files, with no test failing. */
function coverageOnPart(top: ShellCommand[], text: string): boolean {
  const run = top.find((c) => (/coverage/.test(scriptOf(c) ?? '') || c.args.includes('--coverage')) && c.args.some((a) => TEST_FILE_ARG.test(a)));
  if (!run) return false;
  if (/^\s*FAIL\s|✕|\b[1-9]\d* failed\b|^Tests:.*\bfailed\b/m.test(text)) return false;
  return /^\s*PASS\s/m.test(text) || /coverage threshold for \w+ \([\d.]+%\) not met/i.test(text);
}

/** Programs that only pass output on at the end of a pipe (PowerShell's too). */
const FILTERS = new Set(['head', 'tail', 'less', 'more', 'tee', 'wc', 'sort', 'uniq', 'cut', 'column', 'tr', 'cat', ...PS_FILTERS]);

/**
 * Commands a line's failure is never blamed on: ones that do not fail by themselves (`x && echo
 * done` that failed, failed at `x`: echo never ran, and `x; echo done` would have exited 0), and the
 * shell's scenery around the work (`cd DIR && x`, `x || exit 1`). One that says so in its own name
 * (`sleep: invalid time interval`, `cd: no such file or directory`) is the exception.
 */
const PASSED_OVER = new Set(['echo', 'printf', 'true', ':', 'sleep', 'cd', 'break', 'continue', 'exit', 'return']);
const OWN_COMPLAINT = new Map([...PASSED_OVER].map((p) => [p, new RegExp(`(?:^|\\n|: )(?:usage: )?${p === ':' ? ':' : p}:? `)]));

function passedOver(cmd: ShellCommand, text: string, source: string): boolean {
  if (!PASSED_OVER.has(cmd.program) || OWN_COMPLAINT.get(cmd.program)!.test(text)) return false;
  // `echo X > /etc/app.env` fails at its redirect, in the shell's words, not echo's.
  const own = /^[^;&|\n]*/.exec(source.slice(cmd.pos))![0];
  return !(/(?:^|[^<>&\d])>>?\s*[^\s&]/.test(own) && /Permission denied|No such file or directory|Read-only file system|Is a directory|cannot create/i.test(text));
}

/**
 * The command of a line that failed: the last one at the top level that is not a filter at the
 * end of a pipe (`| tail -20`) nor passed over (PASSED_OVER).
 */
function failedCommand(cmds: ShellCommand[], text: string, source: string): ShellCommand | undefined {
  return cmds.filter((c) => !c.nested && !FILTERS.has(c.program) && !passedOver(c, text, source)).at(-1);
}

/** `pkill -f x`, `pkill -9 -f x`, `pkill -fi x`, `pkill --full x`: matching the whole command line. */
function killsByCommandLine(cmd: ShellCommand): boolean {
  return cmd.program === 'pkill' && cmd.args.some((a) => a === '--full' || /^-[a-zA-Z]*f[a-zA-Z]*$/.test(a));
}

/** `grep -c "^\d\."`: a Perl class in a pattern grep reads as POSIX (no -P, not fixed strings). */
function perlClassInGrep(cmd: ShellCommand): boolean {
  if (!['grep', 'egrep'].includes(cmd.program)) return false;
  const flags = cmd.args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
  if (/[PF]/.test(flags) || cmd.args.some((a) => a === '--perl-regexp' || a === '--fixed-strings')) return false;
  // The pattern: each -e's, or the first word that is not an option (the rest are files, `C:\\dev` among them).
  const given = cmd.args.flatMap((a, i) => (a === '-e' || a === '--regexp' ? [cmd.args[i + 1] ?? ''] : []));
  const patterns = given.length ? given : cmd.args.filter((a) => !a.startsWith('-')).slice(0, 1);
  return patterns.some((p) => /(?:^|[^\\])\\d/.test(p));
}

/** The commands that may have failed: the line's commands without the ones passed over (PASSED_OVER). */
function mayFail(cmds: ShellCommand[], text: string, source: string): ShellCommand[] {
  const kept = cmds.filter((c) => !passedOver(c, text, source));
  return kept.length ? kept : cmds;
}

/** Checks anywhere in a chain: `which x && x --version` fails at `which`, and that is the answer. */
const CHECKS = new Set(['which', 'type', 'hash', 'test', '[', '[[', 'pgrep', 'pidof', 'lsof', 'ping', 'nc', ...PS_CHECKS]);
/** Looking at paths: a missing one is the answer. */
const LOOKS = new Set(['ls', 'stat', 'file', 'readlink', 'realpath', 'find', 'du', ...PS_LOOKS]);
/** Errors silenced or answered with a fallback (PowerShell's own ways: PS_SILENCED). */
const SILENCED = /2>\s*\/dev\/null|2>&1\s*\|\|\s*(echo|true|:)|\|\|\s*(echo|true|:)/;

/**
 * Questions whose "no" is the exit code, in the tools' documented forms: is this package installed
 * (`npm ls x`, `pip show x`, `brew list x`, `dpkg -s x`, `rpm -q x`), is this session, service, job
 * or user there (`tmux has-session`, `systemctl is-active`, `launchctl list LABEL`, `id x`,
 * `getent passwd x`).
 */
function asksInstalled(cmd: ShellCommand): boolean {
  const [a, b] = cmd.args.filter((x) => !x.startsWith('-'));
  switch (cmd.program) {
    case 'npm':
    case 'pnpm':
    case 'yarn':
      return (a === 'ls' || a === 'list' || (cmd.program === 'yarn' && a === 'why')) && b !== undefined;
    case 'pip':
    case 'pip3':
      return a === 'show' && b !== undefined;
    case 'uv':
      return a === 'pip' && b === 'show';
    case 'brew':
      return (a === 'list' || a === 'ls') && b !== undefined;
    case 'dpkg':
      return cmd.args.some((x) => x === '-s' || x === '--status' || x === '-l' || x === '--list');
    case 'rpm':
      return cmd.args.some((x) => x.startsWith('-q'));
    case 'tmux':
      return a === 'has-session' || a === 'has';
    case 'systemctl':
      return a === 'is-active' || a === 'is-enabled' || a === 'is-failed';
    case 'launchctl':
      return a === 'list' && b !== undefined;
    case 'id':
      return a !== undefined;
    case 'getent':
      return b !== undefined;
    default:
      return false;
  }
}

/**
 * A program of the line complaining in its own name (`sleep: invalid time interval`, `usage:
 * sleep ...`): silenced parts say nothing, so this is the part that failed, not a check's quiet no.
 * A program reading a pipe is left out: it complains of what the check before it gave it.
 */
function complains(cmds: ShellCommand[], source: string, text: string): boolean {
  const names = new Set(cmds.filter((c) => !/(?:^|[^|])\|\s*$/.test(source.slice(0, c.pos))).map((c) => c.program.replace(/^.*[\\/]/, '').toLowerCase()).filter((n) => /^[\w.+-]+$/.test(n)));
  return text.split('\n').some((l) => {
    // Windows PowerShell 5.1 writes "Copy-Item : Cannot find path", 7 "Copy-Item: Cannot find path".
    const m = /^(?:usage:\s+)?([\w.+-]+)\s?:?\s/i.exec(l.trim());
    return !!m && names.has(m[1]!.toLowerCase()) && (/^usage:/i.test(l.trim()) || /^[\w.+-]+\s?:/.test(l.trim()));
  });
}

/** `git config --get k`, `git -C d config k`, `git config --get-regexp re`: reading a setting, not writing one. */
function readsGitConfig(args: string[]): boolean {
  const at = args.indexOf('config');
  // Before `config`, only git's own options (`-C DIR`, `-c k=v`): a word there is another subcommand's.
  if (at < 0 || args.slice(0, at).some((a, i) => !a.startsWith('-') && !['-C', '-c'].includes(args[i - 1] ?? ''))) return false;
  const rest = args.slice(at + 1);
  if (rest.some((a) => /^--(?:get|get-all|get-regexp|get-urlmatch)$/.test(a))) return true;
  if (rest[0] === 'get') return true; // git 2.46's `git config get KEY`
  const writes = rest.some((a) => /^--(?:add|unset|unset-all|replace-all|rename-section|remove-section|edit|list)$|^-[el]$/.test(a));
  return !writes && rest.filter((a) => !a.startsWith('-')).length === 1;
}

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'fish', '(eval)', 'env']);

/** The script that reported `program` missing (`xdg-open: line 1032: www-browser: command not found`), when it is not the shell itself. */
function callerOf(text: string, program: string): string | undefined {
  for (const m of text.matchAll(/^(\S+?):\s*(?:[^\s:]+\s*)?\d+:\s*([\w.+-]+): (?:command )?not found/gm)) {
    const caller = m[1]!.replace(/^.*[\\/]/, '');
    if (m[2] === program && !SHELLS.has(caller) && caller !== program) return caller;
  }
  return undefined;
}

/** `ls x`, `test -f y`, `grep -q z f`: a check whose non-zero exit is its answer. */
function isProbe(cmds: ShellCommand[], source: string, text = '', ps = false): boolean {
  if (!cmds.length) return false;
  if (cmds.some((c) => CHECKS.has(c.program) || (c.program === 'command' && c.args.includes('-v')))) return true;
  // The shell parser drops `command -v x` (it runs nothing), so look for it in the line itself.
  if (/(?:^|[;&|(]\s*)command\s+-[vV]\s/.test(source)) return true;
  const top = mayFail(cmds.filter((c) => !c.nested), text, source);
  const final = top[top.length - 1] ?? cmds[cmds.length - 1]!;
  if (LOOKS.has(final.program)) return true;
  if (final.args[0] === 'status' && !['git', 'npm', 'pnpm', 'yarn'].includes(final.program)) return true;
  // `vercel whoami`, `gh auth status`: asking who is logged in; "nobody" is the answer.
  if (final.args[0] === 'whoami' || (final.args[0] === 'auth' && final.args[1] === 'status')) return true;
  // Errors silenced or answered with a fallback: the non-zero exit is the check's, unless another program of the line complained.
  if ((SILENCED.test(source) || (ps && PS_SILENCED.test(source))) && !complains(cmds, source, text)) return true;
  const failing = mayFail(cmds, text, source);
  const last = failing[failing.length - 1]!;
  if (last.program === 'crontab' && last.args.includes('-l')) return true;
  // pkill and killall exit 1 when nothing matched: the process was already gone.
  if (['pkill', 'killall'].includes(last.program)) return true;
  // Asked alone (what comes before them could have failed instead): `kill -0 PID` sends nothing and
  // asks whether the process is there; `jq -e` exits 1 when the answer is false or null (4 when it
  // got no input at all); `pg_isready` says whether the server takes connections.
  const alone = cmds.filter((c) => !c.nested && !SHELL_WORDS.has(c.program)).length === 1;
  if (alone && last.program === 'kill' && last.args[0] === '-0') return true;
  if (alone && last.program === 'jq' && last.args.some((a) => a === '-e' || a === '--exit-status' || /^-[a-z]*e[a-z]*$/.test(a)) && exitCodeOf(text) === 1 && !/^jq: error/m.test(text)) return true;
  if (alone && last.program === 'pg_isready') return true;
  if (last.program === 'gh' && ((last.args[0] === 'pr' && last.args[1] === 'checks') || (last.args[0] === 'run' && last.args[1] === 'watch'))) return true;
  if (asksInstalled(last)) return true;
  // `npm view PKG` asked alone asks the registry about a package: its 404 for that name says there is none.
  if (alone && ['npm', 'pnpm', 'yarn'].includes(last.program) && ['view', 'info', 'show', 'v'].includes(last.args.find((a) => !a.startsWith('-')) ?? '')) {
    const pkg = last.args.filter((a) => !a.startsWith('-'))[1]?.replace(/(.)@[^@/]*$/, '$1');
    if (pkg && /\bE404\b/.test(text) && (text.includes(`/${pkg.replace('/', '%2f')} - Not found`) || text.includes(`/${pkg} - Not found`) || text.includes(`'${pkg}@`))) return true;
  }
  // Is this pod or container there: `kubectl get pod web-0` answers NotFound, `docker inspect x` "No such object".
  if ((last.program === 'kubectl' || last.program === 'oc') && last.args[0] === 'get' && /^Error from server \(NotFound\):/m.test(text)) return true;
  if ((last.program === 'docker' || last.program === 'podman') && last.args.includes('inspect') && /^Error(?: response from daemon)?: No such (?:object|container|image|volume|network)\b/im.test(text)) return true;
  // `git config --get KEY` (or `git config KEY`) exits 1 when the key is not set: that is the answer.
  if (last.program === 'git' && readsGitConfig(last.args) && !/\b(?:fatal|error):/.test(text)) return true;
  if (last.program === 'git' && last.args.some((a) => a === '--quiet' || a === '--exit-code' || a === '--verify' || a === '--check' || a === 'show-ref' || a === 'ls-remote' || a === 'check-ignore' || a === '--error-unmatch' || a === '--is-ancestor')) return true;
  return ['test', '[', '[[', 'which', 'type', 'hash', 'pgrep', 'pidof', 'diff', 'cmp', 'grep', 'egrep', 'fgrep', 'rg', 'ag'].includes(last.program) || (ps && psAnswersNo(last, text));
}

/** The first of `table` whose pattern the text matches: the answer beside it. */
function firstMatch(table: readonly (readonly [RegExp, string])[], text: string): string | undefined {
  return table.find(([re]) => re.test(text))?.[1];
}

/** The command a CLI names for logging in, from its own "not logged in" message. */
const CLI_LOGINS: readonly (readonly [RegExp, string])[] = [
  [/To get started with GitHub CLI, please run:\s+gh auth login|gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN|You are not logged into any GitHub hosts/, 'gh auth login'],
  [/glab auth login|You are not logged into any GitLab hosts/, 'glab auth login'],
  [/No existing credentials found\. Please run `vercel login`|The specified token is not valid\. Use `vercel login`/, 'vercel login'],
  [/You are not authenticated\. Please run `wrangler login`|run `wrangler login`/, 'wrangler login'],
  [/Failed to authenticate, have you run firebase login\?/, 'firebase login'],
  [/No access token available\. Please login with 'flyctl auth login'/, 'fly auth login'],
  [/Unable to locate credentials\. You can configure credentials by running "aws configure"|The SSO session associated with this profile has expired|Error loading SSO Token/, 'aws configure'],
  [/You do not currently have an active account selected\.[\s\S]*gcloud auth login|Reauthentication failed\. cannot prompt during non-interactive execution/, 'gcloud auth login'],
  [/Please run 'az login' to setup account/, 'az login'],
];

/** A tool that names the command that sets it up first. */
const SET_UP_FIRST: readonly (readonly [RegExp, string])[] = [
  [/Backend initialization required, please run "terraform init"|Please run "?terraform init"?/, 'terraform init'],
  [/Could not find gem '[^']+' in (?:locally installed gems|any of the gem sources)[\s\S]*Run `bundle install`/, 'bundle install'],
  [/@prisma\/client did not initialize yet\. Please run "prisma generate"/, 'prisma generate'],
];

/** Compose's options that take a value: the verb is the first word after them. */
const COMPOSE_VALUED = new Set(['-f', '--file', '-p', '--project-name', '--profile', '--env-file', '--project-directory', '--ansi', '--progress', '--parallel']);

function composeVerb(cmd: ShellCommand): string | undefined {
  const args = cmd.program === 'docker' ? cmd.args.slice(1) : cmd.args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (COMPOSE_VALUED.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** The toolchain a project needs another version of than this machine runs, from its own message. */
const TOOLCHAINS_BEHIND: readonly (readonly [RegExp, string])[] = [
  // npm only warns (`npm warn EBADENGINE`) unless engine-strict is set: then it is an error.
  [/npm (?:error|ERR!) code EBADENGINE|ERR_PNPM_UNSUPPORTED_ENGINE|error [^\n]*: The engine "node" is incompatible with this module/, 'node'],
  // Poetry's "currently activated Python ... is not supported" is a warning it goes on from.
  [/incompatible with the project's Python requirement|Poetry was unable to find a compatible version|NoCompatiblePythonVersionFound|requires a different Python: [\d.]+ not in/, 'python'],
  [/requires rustc [\d.]+ or newer, while the currently active rustc version is|package `[^`]+` cannot be built because it requires rustc/, 'rust'],
  [/go: go\.mod requires go >= [\d.]+ \(running go|go: download go[\d.]+ for [\w/]+: toolchain not available/, 'go'],
  // Not "Unsupported class file major version": that is a JDK too new for the build tool (Gradle 6 on JDK 17).
  [/invalid target release: \d+|error: release version \d+ not supported|has been compiled by a more recent version of the Java Runtime/, 'java'],
  [/\bNETSDK1045\b|The current \.NET SDK does not support targeting/, 'dotnet'],
  [/is using Swift tools version [\d.]+ but the installed version is/, 'swift'],
  [/Your Ruby version is [\d.]+, but your Gemfile specified/, 'ruby'],
  [/requires php [^ ]+ but your php version \([\d.]+\) does not satisfy that requirement/, 'php'],
];

/**
 * `python3 -c "import x"` as the line's one command (at most x's version or file printed), answered
 * "No module named" x itself: whether x is installed here. Anything else raised while importing it
 * is the project's own code failing.
 */
function importQuestion(top: ShellCommand[], missing: string): boolean {
  // Alone, or last after commands that only look (`echo`, `which`, `ls`, `python --version`): a survey of what is installed.
  const looks = top.slice(0, -1).every((c) => SHELL_WORDS.has(c.program) || LOOKS.has(c.program) || PIPE_FILTERS.has(c.program) || c.program === 'which' || (/^python[\d.]*$/.test(c.program) && /^(?:--version|-V)$/.test(c.args[0] ?? '')));
  const cmd = top.length === 1 || (top.length > 1 && looks) ? top[top.length - 1] : undefined;
  if (!cmd) return false;
  // Node's way of asking: `node -e "require.resolve('x')"` (or `-p`, or a bare require of it).
  if (cmd.program === 'node' && (cmd.args[0] === '-e' || cmd.args[0] === '-p' || cmd.args[0] === '--eval' || cmd.args[0] === '--print')) {
    const asked = /^\s*(?:console\.log\()?require(?:\.resolve)?\(\s*(['"])([^'"]+)\1\s*\)\)?\s*;?\s*$/.exec(cmd.args[1] ?? '')?.[2];
    return !!asked && asked === missing && !/^[./]/.test(asked);
  }
  if (!/^python[\d.]*$/.test(cmd.program) || cmd.args[0] !== '-c') return false;
  const imported = /^\s*import ([\w.]+)\s*(?:;\s*print\(\s*\1\.__(?:file|version|path)__\s*\)\s*)?;?\s*$/.exec(cmd.args[1] ?? '')?.[1];
  return !!imported && !!missing && (imported === missing || imported.startsWith(`${missing}.`));
}

/** A script or task that does not exist; `runner` names a task runner with a file of its own. */
const MISSING_SCRIPT: { re: RegExp; runner?: string }[] = [
  { re: /missing script:\s*"?([^"\s]+)"?/i }, // npm 6-11
  { re: /ERR_PNPM_NO_SCRIPT\b.*?(?:Missing script:\s*|script\s+)"?([^"\s]+)"?/i },
  { re: /Command "([^"]+)" not found/ }, // yarn 1
  { re: /Couldn't find a script named "([^"]+)"/ }, // yarn berry
  { re: /Script not found "([^"]+)"/i }, // bun
  { re: /No rule to make target [`']([^'`]+)'/, runner: 'make' },
  { re: /Justfile does not contain recipe [`']([^'`]+)[`']/, runner: 'just' },
  { re: /no tasks? (?:named|found:?) [`'"]?([\w:.-]+)/i, runner: 'mise' },
];
const NOT_FOUND = [/command not found:\s*([\w.+@/-]+)/, /([\w.+@/-]+): command not found/, /(?:^|\s)([\w.+@-]+): not found$/m, /'([\w.+@-]+)' is not recognized as an internal or external command/, PS_NOT_RECOGNIZED, /could not determine executable to run/, /spawn ([\w.+@/-]+) ENOENT/, /exec: "?([\w.+@/-]+)"?: executable file not found/];
const MODULE = [
  /Cannot find (?:module|package) ['"]([^'"]+)['"]/,
  /No module named ['"]?([\w.-]+)['"]?/,
  /Can't resolve ['"]([^'"]+)['"]/,
  /Could not resolve ['"]([^'"]+)['"]/,
  /Failed to resolve import ['"]([^'"]+)['"]/,
  /ModuleNotFoundError: .*?['"]([\w.-]+)['"]/,
  /cannot find crate for `?(\w+)`?/i,
  /unresolved import `?([\w:]+)`?/,
  /cannot find package "?([\w./-]+)"? in any of/,
  /no required module provides package ([\w./-]+)/,
];

/**
 * Whether the match at `at` is an interpreter's own uncaught error: Python starts its line with
 * "ModuleNotFoundError:" (or "python3:" for `-m`), Node with "Error:" or nothing.
 */
function uncaughtAt(text: string, at: number): boolean {
  const prefix = text.slice(text.lastIndexOf('\n', at - 1) + 1, at).replace(/\x1b\[[0-9;]*m/g, '');
  if (/^No module named/.test(text.slice(at))) return /^\s*(?:E\s+)?(?:(?:ModuleNotFoundError|ImportError):\s*|\S*python[\d.]*(?:\.exe)?:\s*)?$/.test(prefix);
  return /^\s*(?:(?:Uncaught )?[\w.]*(?:Error|Exception)(?: \[\w+\])?:\s*)?$/.test(prefix);
}

/** The package name a module path belongs to: `lodash/fp` → lodash, `@a/b/c` → @a/b, `yaml.x` → yaml; a relative path stays a path. */
function packageOf(mod: string): string {
  if (mod.startsWith('.') || mod.startsWith('/')) return 'relative';
  if (mod.startsWith('@')) return mod.split('/').slice(0, 2).join('/');
  return mod.split(/[/:]/)[0]!.split('.')[0]!;
}

/**
 * The kind of place a missing file was looked for: its folder and extension (`archive/*.md`).
 * Guesses in one folder are one mistake; a missing file elsewhere is another.
 */
function folderOf(target: string | undefined): string {
  if (!target) return '';
  const path = target.split(' in ')[0]!.trim();
  const parts = path.split(/[\\/]/).filter(Boolean);
  const file = parts.pop() ?? '';
  const ext = /\.[\w]+$/.exec(file)?.[0] ?? '';
  return `${parts.slice(-1)[0] ?? '.'}/*${ext}`;
}

/** Python's codec errors in a legacy code page, which UTF-8 mode (PYTHONUTF8=1) or encoding='utf-8' avoids. */
const LOCALE_CODEC = /^Unicode(?:En|De)codeError: '(?:gbk|gb2312|gb18030|cp(?!65001)\d+|charmap|mbcs|shift_jis|euc[-_]jp|euc[-_]kr|big5)' codec can't (?:en|de)code/m;

/** Claude Code's memory of a project, in the user's home: a `.claude` folder of the project itself is another thing. */
const AUTO_MEMORY = /^(?:~|\/root|\/home\/[^\\/]+|\/Users\/[^\\/]+|[A-Za-z]:[\\/]Users[\\/][^\\/]+)[\\/]\.claude[\\/]projects[\\/][^\\/]+[\\/]memory[\\/]/;

/** Claude Code's own tool errors, in their wordings from 1.0 to 2.1. */
function toolError(tool: string, text: string, first: string, target?: string, ownWrite = false): Cause | undefined {
  // A shell's command line is read by shellError; only a file tool's path is the thing missing.
  const shell = isShellTool(tool);
  if (/User chose to stay in plan mode|doesn't want to (?:proceed with this tool use|take this action)|tool use was rejected|user (?:rejected|denied|declined)|Permission to (?:use|edit|read|write) \S+(?: with .*?)? (?:has been )?denied\b|Permission for this action was denied|permission denied by user/i.test(text)) {
    return make('interrupted', 'declined', first, undefined, { kind: 'declined', why: 'the person declined the call' });
  }
  // Claude Code starting its own program for a tool (itself, its ripgrep) that an update moved away: its install, not the call.
  if (/posix_spawn '[^']*(?:claude[\\/]versions[^']*|[\\/]claude(?:\.exe)?|[\\/]rg(?:\.exe)?)'|is temporarily unavailable, so auto mode cannot|API Error: (?:5\d\d|Overloaded)|overloaded_error/i.test(text)) {
    return make('other', 'client', first, undefined, { kind: 'transient', why: 'Claude Code itself failed, not the agent\'s call' });
  }
  // A subagent whose requests to the API timed out or lost the connection, in the SDK's words.
  if (/^(?:Task|Agent)$/.test(tool) && /^(?:API Error: )?(?:Request timed out|Connection error)\.?$/m.test(text)) {
    return make('timeout', 'client', first, undefined, { kind: 'transient', why: "Claude Code's request to its API did not get through, not the agent's call" });
  }
  if (/\[Request interrupted by user|interrupted by user/i.test(text)) return make('interrupted', 'interrupt', first, undefined, { kind: 'interrupted', why: 'the person interrupted the call' });
  // AskUserQuestion's own permission prompt, left as its error when nobody answered it.
  if (tool === 'AskUserQuestion' && text.trim() === 'Answer questions?') return make('interrupted', 'declined', first, undefined, { kind: 'declined', why: 'the question was not answered' });
  if (/Sibling tool call errored|Cancelled: parallel tool call|parallel tool call .* errored/i.test(text)) {
    return make('other', 'cascade', first, undefined, { kind: 'cascade', why: 'cancelled because a parallel call failed' });
  }
  // Claude Code warms a subagent up with a prompt of its own and answers the calls it makes then with "Warmup".
  if (text.trim() === 'Warmup') return make('other', 'cascade', first, undefined, { kind: 'cascade', why: "made while Claude Code warmed a subagent up, and cancelled by it" });
  // Guards of the person's own setup answer in their own name on the first line ("BLOCKED by dcg", "BLOCKED by CC Safety Net").
  if (/hook error|blocked by (?:a |the )?\w*\s*hook|nevo-tui blocked this call|PreToolUse:\w+ hook|hook returned blocking error|Blocked by hook/i.test(text) || /^\s*BLOCKED by [A-Za-z][\w .-]{0,40}$/m.test(text.split('\n', 1)[0] ?? '')) {
    return make('other', 'hook-block', first, undefined, { kind: 'hook-block', why: 'a hook of the agent\'s setup blocked the call' });
  }
  // A command refused before it ran has no exit code; a hook of the person's setup that sends the
  // agent to another tool says only that ("Use the Read tool to read file contents").
  if (shell && !/^Exit code \d+/.test(text.trim()) && /^[^\n]{0,80}\b(?:Use|Call) (?:the )?(?:[A-Z]\w+ tool\b|mcp__\w+)/.test(text.trim())) {
    return make('other', 'hook-block', first, undefined, { kind: 'hook-block', why: "a hook of the agent's setup sent the call to another tool" });
  }
  if (/has not been read yet|must read .* before (editing|writing)|Read it first before/i.test(text)) return make('file not read first', '', first, undefined);
  if (/Found \d+ matches of the string to replace|not unique in the file|replace_all is false/i.test(text)) return make('edit mismatch', 'not unique', first, undefined);
  if (/String to replace not found|old_string.*not found/i.test(text)) {
    // old_string copied with the Read tool's line-number prefixes ("    12→") never matches.
    return make('edit mismatch', /String:\s*\d+\s*→|\n\s*\d+\s*→/.test(text) ? 'line numbers' : 'not found', first, undefined);
  }
  if (/No changes to make: old_string and new_string are exactly the same/i.test(text)) return make('edit mismatch', 'no change', first, undefined);
  // MultiEdit applies its edits in order: a later old_string that an earlier new_string wrote is refused.
  if (/old_string is a substring of a new_string from a previous edit/i.test(text)) return make('edit mismatch', 'edits overlap', first, undefined);
  if (/^Already in a worktree session/m.test(text) && /worktree/i.test(tool)) return make('input validation', 'worktree session', first, undefined);
  if (/File has been (?:modified since read|unexpectedly modified)/i.test(text)) {
    // A command the agent itself ran rewrote the file: reading again after it is the habit to learn.
    if (ownWrite) return make('edit mismatch', 'modified since read', first, undefined);
    return make('edit mismatch', 'modified since read', first, undefined, { kind: 'transient', why: 'the file was changed by someone else (the person, a formatter) after it was read' });
  }
  if (/No task found with ID|No shell found with ID|Shell \S+ (?:is not running|not found)/i.test(text)) return make('input validation', `${tool} id`, first, undefined);
  if (/MCP error -32602|Input validation error: Invalid arguments for tool/i.test(text)) return make('input validation', tool, first, undefined);
  if (/EISDIR|illegal operation on a directory|is a directory|Path is a directory/i.test(text) && !shell) return make('is a directory', '', first, undefined);
  if (/exceeds maximum allowed (?:size|tokens)|File content .* exceeds|too large to read|exceeds the maximum/i.test(text)) return make('input validation', 'too large', first, undefined);
  // Read takes text, images and PDFs; a spreadsheet or another binary file it refuses.
  if (/cannot read binary files|appears to be a binary/i.test(text) && !shell) return make('input validation', 'binary file', first, undefined);
  if (/InputValidationError|required parameter .* is missing|parameter `?\w+`? type is expected|An unexpected parameter|Invalid tool parameters/i.test(text)) return make('input validation', tool, first, undefined);
  if (/Agent type '[^']+' not found/i.test(text)) return make('tool unavailable', 'subagent type', first, undefined);
  if (/Unknown skill:/i.test(text)) return make('tool unavailable', 'skill', first, undefined);
  const unavailable = /No such tool available:?\s*([\w:.-]+)?/i.exec(text);
  if (unavailable) return make('tool unavailable', unavailable[1] ?? tool, first, undefined);
  if (/may only change directories to|cd to '[^']*' was blocked|cd .* was blocked for security/i.test(text)) return make('permission', 'cd outside', first, undefined);
  if (/haven't granted it yet|requested permissions? to|not allowed to (?:write|read|edit)|outside (?:the )?(?:allowed|working) director/i.test(text)) return make('permission', tool, first, undefined);
  if (/Ref \S+ not found in the current page snapshot|element ref .* (?:not found|stale)/i.test(text)) return make('input validation', 'stale page ref', first, undefined);
  if (/can only be used when there is related modal state|does not handle the modal state/i.test(text)) return make('input validation', 'modal state', first, undefined);
  if (/is outside allowed roots|outside (?:of )?the allowed (?:roots|directories)/i.test(text)) return make('permission', 'allowed roots', first, undefined);
  if (!shell && /File does not exist|does not exist|ENOENT|No such file or directory|Path not found|not found in/i.test(text)) {
    // Claude Code's memory of the project before anything was remembered: reading it is asking.
    if (target && AUTO_MEMORY.test(target)) {
      return make('file not found', 'auto memory', first, undefined, { kind: 'probe', why: "Claude Code's memory of the project had no such file yet: reading it is how the agent asks" });
    }
    // `/c/Users/...` is Git Bash's spelling of C:\Users\...: Windows file tools do not read it.
    if (target && /^\/[a-z]\/(?:Users|Program Files|Windows|ProgramData)\//i.test(target)) return make('file not found', 'msys path', first, undefined);
    return make('file not found', folderOf(target), first, undefined);
  }
  if (/^mcp__.*(?:javascript|evaluate|browser|playwright|puppeteer|chrome)/i.test(tool) && /SyntaxError|has already been declared/.test(text)) return make('syntax error', tool, first, undefined);
  // Claude Code's own limit on a call; a "timed out" a program printed is the program's business.
  if (/^Command timed out after/m.test(text) || (!shell && /timed out after|Request timed out/i.test(text))) {
    if (shell && target && pollingLoop(target)) return make('timeout', 'polling loop', first, undefined);
    const cause = make('timeout', tool === 'Bash' ? '' : tool, first, undefined);
    // The command that ran long, for the rule's words: not the `cd` or `echo` around it.
    const long = shell && target ? longRunning(shellCommands(target), text, target) : undefined;
    return long ? { ...cause, program: commandLabel(long) } : cause;
  }
  return undefined;
}

/** The command of a line that ran too long: a filter at the end of the pipe (`| grep X`, `| head`) only waits on the one before it. */
function longRunning(cmds: ShellCommand[], text: string, source: string): ShellCommand | undefined {
  const top = cmds.filter((c) => !c.nested);
  // `tail -f`, `journalctl -f`, `kubectl logs -f` never end by themselves.
  const follows = top.find((c) => c.program === 'stern' || (c.args.some((a) => a === '-f' || a === '-F' || a === '--follow') && (['tail', 'journalctl'].includes(c.program) || (['kubectl', 'docker', 'podman'].includes(c.program) && c.args.includes('logs')))));
  if (follows) return follows;
  const failed = failedCommand(cmds, text, source);
  if (!failed || !PIPE_FILTERS.has(failed.program)) return failed;
  return [...top].reverse().find((c) => !PIPE_FILTERS.has(c.program) && !SHELL_WORDS.has(c.program)) ?? failed;
}
/** What reads a pipe and waits on the command before it. */
const PIPE_FILTERS = new Set([...FILTERS, 'grep', 'egrep', 'fgrep', 'rg', 'awk', 'sed', 'jq']);
/** Words of the shell's own grammar, its builtins and a quick `ls`: listed as commands by a parse, never what ran long. */
const SHELL_WORDS = new Set(['for', 'while', 'until', 'do', 'done', 'if', 'then', 'else', 'fi', 'case', 'esac', 'break', 'continue', 'echo', 'printf', 'true', 'false', ':', 'cd', 'export', 'set', 'local', 'return', 'exit', 'ls']);
/** A loop that sleeps between checks: it waits for something, as long as that takes. */
const POLLING_LOOP = /(?:^|[;&|(\n]\s*)(?:for|while|until)\s[\s\S]*?[;\n]\s*do\s[\s\S]*?\bsleep\s+\d[\s\S]*?[;\n]\s*done\b/;
/** After a polling loop's `done`, only a look at what it waited for: the loop is what ran long. */
function pollingLoop(source: string): boolean {
  if (!POLLING_LOOP.test(source)) return false;
  const after = source.slice(source.search(/[;\n]\s*done\b(?![\s\S]*[;\n]\s*done\b)/)).replace(/^[;\n]\s*done\b/, '');
  return after.replace(/\\\n/g, ' ').split(/&&|\|\||;|\n/).every((part) => !part.trim() || /^\s*(?:echo|printf|cat|tail|head|ls|true|gh\s+\w+\s+(?:view|checks|list|status)|git\s+(?:status|log))\b/.test(part));
}

/** What a Bash command's failure says, given the parsed line and the output. */
function shellError(cmds: ShellCommand[], source: string, text: string, ls: string[], first: string, exit: number | undefined, ps = false): Cause {
  const cause = shellCause(cmds, source, text, ls, first, exit, ps);
  const last = failedCommand(cmds, text, source);
  if (last && !cause.program) cause.program = commandLabel(last);
  return cause;
}

/**
 * Development environments that run a command with their own tools on PATH: `nix develop -c lint`
 * is a lint run. Only the analyst looks inside them; a guard must not, since the environment may
 * provide the very program a guard says is missing.
 */
function devEnvInner(cmd: ShellCommand): ShellCommand[] {
  const a = cmd.args;
  const after = (i: number): ShellCommand[] => {
    const rest = a.slice(i).filter((w, j) => j > 0 || w !== '--');
    return rest[0] ? [{ program: rest[0].replace(/^.*\//, ''), args: rest.slice(1), raw: rest[0], pos: cmd.pos }] : [];
  };
  if (cmd.program === 'nix' && (a[0] === 'develop' || a[0] === 'shell')) {
    const i = a.findIndex((w) => w === '-c' || w === '--command');
    return i >= 0 ? after(i + 1) : [];
  }
  // `nix run nixpkgs#goreleaser -- check`: the package's program, given what follows `--`.
  if (cmd.program === 'nix' && a[0] === 'run') {
    const pkg = a.slice(1).find((w) => !w.startsWith('-'));
    const name = pkg ? /#([\w.+-]+)$/.exec(pkg)?.[1]?.replace(/^.*\./, '') : undefined;
    const i = a.indexOf('--');
    return name ? [{ program: name, args: i >= 0 ? a.slice(i + 1) : [], raw: name, pos: cmd.pos }] : [];
  }
  if (cmd.program === 'nix-shell') {
    const i = a.findIndex((w) => w === '--run' || w === '--command');
    return i >= 0 && a[i + 1] ? shellCommands(a[i + 1]!).map((c) => ({ ...c, pos: cmd.pos })) : [];
  }
  if ((cmd.program === 'mise' || cmd.program === 'rtx') && (a[0] === 'exec' || a[0] === 'x')) {
    const i = a.indexOf('--');
    return i >= 0 ? after(i + 1) : [];
  }
  if ((cmd.program === 'devbox' && a[0] === 'run') || (cmd.program === 'devenv' && a[0] === 'shell')) return after(1);
  if (cmd.program === 'direnv' && a[0] === 'exec') return after(2);
  if (cmd.program === 'flox' && a[0] === 'activate') {
    const i = a.indexOf('--');
    return i >= 0 ? after(i + 1) : [];
  }
  return [];
}

/** The line's commands with what development environments run inside them, right after each. */
export function withDevEnv(cmds: ShellCommand[]): ShellCommand[] {
  return cmds.flatMap((c) => [c, ...devEnvInner(c).map((inner) => (c.nested ? { ...inner, nested: true } : inner))]);
}

/** Commands that rewrite files across the tree: formatters that write, and git moving the work tree. */
function rewritesTree(c: ShellCommand): boolean {
  const a = c.args;
  if (c.program === 'gofmt' || c.program === 'goimports') return a.includes('-w');
  if (c.program === 'go') return a[0] === 'fmt' || (a[0] === 'mod' && a[1] === 'tidy');
  if (c.program === 'cargo') return a[0] === 'fmt' || (a[0] === 'clippy' && a.includes('--fix'));
  if (c.program === 'git') return ['checkout', 'switch', 'stash', 'pull', 'merge', 'rebase', 'reset', 'restore', 'cherry-pick', 'revert', 'apply', 'am'].includes(a[0] ?? '');
  if (['prettier', 'biome', 'dprint', 'eslint', 'ruff', 'stylelint', 'rubocop', 'swiftformat', 'clang-format'].includes(c.program)) return a.some((w) => /^(?:--write|-w|--fix|format|--apply|-a|-A|-i)$/.test(w));
  if (['black', 'isort', 'rustfmt', 'autopep8', 'yapf'].includes(c.program)) return !a.includes('--check') && !a.includes('--diff');
  if (c.program === 'mix') return a[0] === 'format';
  if (RUNS_TOOLS.has(c.program) || SCRIPT_RUNNERS.has(c.program)) return a.some((w) => /^(?:format|fmt|fix|lint:fix|format:write)$/.test(w)) || a.includes('--write') || a.includes('--fix');
  return false;
}

/** Manifests that a package manager rewrites when it adds or removes a dependency, with those commands. */
const MANIFESTS: Record<string, { programs: string[]; verbs: string[] }> = {
  'package.json': { programs: ['npm', 'pnpm', 'yarn', 'bun'], verbs: ['install', 'i', 'add', 'remove', 'rm', 'uninstall', 'un'] },
  'pyproject.toml': { programs: ['uv', 'poetry', 'pdm', 'hatch', 'rye'], verbs: ['add', 'remove'] },
  'Cargo.toml': { programs: ['cargo'], verbs: ['add', 'remove'] },
  'go.mod': { programs: ['go'], verbs: ['get'] },
};

/** Interpreters that read a script from stdin: `python3 - <<'EOF'`, `node <<EOF`. */
const STDIN_INTERPRETERS = new Set(['python', 'python3', 'node', 'ruby', 'perl', 'php', 'bun', 'deno']);

/** A script fed to an interpreter on stdin: what it writes is in the heredoc, not on the command's first line. */
function runsStdinScript(cmds: ShellCommand[], command: string): boolean {
  return /<<-?\s*['"]?\w+/.test(command) && cmds.some((c) => STDIN_INTERPRETERS.has(c.program) && (c.args.length === 0 || c.args[0] === '-'));
}

/**
 * Whether a command line rewrote the file: it names the file and writes (a redirection, `sed -i`,
 * a script, a move), it rewrites the whole tree (`gofmt -w`, `git checkout`, `prettier --write`),
 * or it feeds a script to an interpreter on stdin (which may write any file).
 */
export function rewritesFile(command: string, file: string): boolean {
  const cmds = withDevEnv(shellCommands(command));
  if (cmds.some(rewritesTree)) return true;
  if (runsStdinScript(cmds, command)) return true;
  const base = file.replace(/^.*[\\/]/, '');
  // Adding or removing a dependency rewrites the manifest that lists it (`npm install -D vitest`
  // rewrites package.json), whether or not the line names the file.
  const manager = MANIFESTS[base];
  if (manager && cmds.some((c) => manager.programs.includes(c.program) && manager.verbs.includes(c.args[0] ?? '') && c.args.slice(1).some((w) => !w.startsWith('-')))) return true;
  if (!base || !command.includes(base)) return false;
  for (const m of command.matchAll(/(?<![<&\d])>>?\s*['"]?([^\s'";|&<>]+)/g)) if (m[1]!.replace(/^.*[\\/]/, '') === base) return true;
  return cmds.some((c) => (['sed', 'perl'].includes(c.program) && c.args.some((w) => /^-[a-zA-Z]*i/.test(w))) || ['tee', 'mv', 'cp', 'patch', 'truncate', 'python', 'python3', 'node', 'ruby', 'awk'].includes(c.program));
}

/** `echo` given a word starting with `=` outside quotes: `echo ===`, `echo ==DIFF==`. */
const UNQUOTED_EQUALS = /(?:^|[\s;&|])echo\s+(?:-\w+\s+)?=[^\s;&|]*(?=$|[\s;&|])/m;
const unquoted = (source: string) => source.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, "''");

/** Interpreters whose first word is the script they run. */
const RUNS_SCRIPTS = new Set(['python', 'python3', 'node', 'bash', 'sh', 'zsh', 'ruby', 'perl', 'deno', 'npx', 'bunx', 'uvx', 'tsx', 'ts-node']);

/** Programs whose first word names what they do: `git push`, `npm test`, `docker build`. */
const SUBCOMMANDS = new Set(['git', 'npm', 'pnpm', 'yarn', 'bun', 'cargo', 'go', 'docker', 'kubectl', 'gh', 'uv', 'pip', 'pip3', 'poetry', 'mix', 'make', 'mise', 'just', 'dotnet', 'brew', 'apt', 'apt-get', 'terraform', 'helm']);

/** A command as a rule names it: `npm test`, `python3 scripts/x.py`, `tree`. */
function commandLabel(cmd: ShellCommand): string {
  const first = cmd.args[0];
  return first && !first.startsWith('-') && (SUBCOMMANDS.has(cmd.program) || RUNS_SCRIPTS.has(cmd.program)) ? `${cmd.program} ${first}` : cmd.program;
}

/** `ps`: the line is PowerShell's (its programs in lower case, see causeOf). */
function shellCause(cmds: ShellCommand[], source: string, text: string, ls: string[], first: string, exit: number | undefined, ps = false): Cause {
  // The command that ran last at the top level: `git commit -m "$(cat <<EOF ...)"` is a git commit.
  const top = cmds.filter((c) => !c.nested);
  // `... 2>&1 | tail -20 && echo done`: the filter and the echo are not what failed.
  const last = failedCommand(cmds, text, source) ?? top[top.length - 1] ?? cmds[cmds.length - 1];
  const lowerText = lower(text);
  // `ssh host "cmd"` passes on the remote command's exit code (255 is ssh's own): what failed is that command.
  const remote = last?.program === 'ssh' && exit !== 255 ? remoteCommandOf(last) : undefined;
  if (remote) return shellCause(shellCommands(remote), remote, text, ls, first, exit);
  if (/No space left on device|\bENOSPC\b|Disk quota exceeded/i.test(text)) return make('other', 'disk full', first, exit, { kind: 'transient', why: 'the disk was full: the machine failed, not the command' });
  // A script saved with Windows line endings: the shell looks for an interpreter named `bash\r`.
  if (/(?:\^M|\r): bad interpreter|env: ['‘][\w.-]+\r['’]|\$'\\r': command not found/.test(text)) return make('syntax error', 'crlf line endings', first, exit);
  // grep's basic and extended patterns have no `\d`: the pattern matches nothing, and the "no" is not an answer.
  // grep finding nothing prints nothing: an error or a failure in the output is another command's.
  if (exit === 1 && last && perlClassInGrep(last) && !/Traceback|error|fail/i.test(text)) return { ...make('usage error', 'grep perl class', first, exit), program: 'grep' };
  // `pkill -f PATTERN` matches whole command lines, and the shell running it has PATTERN in its own:
  // it kills itself, with nothing printed (exit 143 or 144, no time-out).
  if ((exit === 143 || exit === 144) && !/timed out/i.test(text) && top.some(killsByCommandLine)) return { ...make('usage error', 'pkill -f', first, exit), program: 'pkill' };
  // Asking a program how it is used: many print their usage and exit non-zero, and that is the answer.
  if (last && ['--help', '-h'].includes(last.args[last.args.length - 1] ?? '') && usageOf(last, text) && !/Traceback|^\s*\w*(?:Error|Exception):/m.test(text)) {
    return make('usage error', last.program, first, exit, { kind: 'probe', why: `\`${last.program}\` printed its usage when asked: the answer, not a mistake` });
  }
  // A helm release name already taken: `helm upgrade --install` is the command that works either way.
  if (/cannot re-use a name that is still in use/.test(text) && top.some((c) => c.program === 'helm' && c.args[0] === 'install')) return make('usage error', 'helm install', first, exit);
  // COPY or ADD of a path that is not in the build context (not built yet, or left out by .dockerignore).
  if (/failed to compute cache key: failed to calculate checksum of ref[^"\n]*"[^"]+": not found|COPY failed: (?:file not found in build context|stat [^:]+: file does not exist)/.test(text)) return make('file not found', 'docker build context', first, exit);
  // A compose file that does not parse or names what it does not define.
  const compose = top.find((c) => (c.program === 'docker' && c.args[0] === 'compose') || c.program === 'docker-compose');
  const verb = compose && composeVerb(compose);
  // What runs inside a service (`exec`, `run`, `logs`, the `svc-1  | ` lines of an attached `up`)
  // may print a YAML error of its own; `config` failing is the check doing its work.
  const composeOwn = compose ? text.split('\n').filter((l) => !/^\S+\s+\| /.test(l)).join('\n') : '';
  if (compose && !['exec', 'run', 'logs'].includes(verb ?? '') && /invalid compose project|validating [^:]+: (?:services|volumes|networks)\.|yaml: (?:line \d+|unmarshal errors)|refers to undefined (?:volume|network|config|secret)|Additional property \w+ is not allowed/.test(composeOwn)) {
    return make('syntax error', 'compose file', first, exit, verb === 'config' ? { kind: 'lint-feedback', why: '`docker compose config` reporting what is wrong with the file is the check doing its work' } : undefined);
  }
  // An SSH signing agent (1Password, Secretive) waits for the person to approve each signature.
  if (/Couldn't sign message|agent refused operation/i.test(text)) return make('git', 'signing agent', first, exit, { kind: 'transient', why: 'the signing agent refused: the person approves signatures there' });
  // mise refuses to read the config of a checkout it was not told to trust: no task ran, whatever its name.
  if (/Config files? in .+ (?:is|are) not trusted|Trust them with `mise trust`/i.test(text)) return make('permission', 'mise trust', first, exit);
  // The project asks for another version of its language or SDK than this machine has, in each toolchain's words:
  // no build of the code can pass until the version is there, so it is not the build at work.
  const toolchain = firstMatch(TOOLCHAINS_BEHIND, text);
  if (toolchain) return make('dependency conflict', `toolchain version: ${toolchain}`, first, exit);
  if (/JAVA_HOME is not set and no 'java' command could be found|JAVA_HOME is set to an invalid directory/.test(text)) return make('tool unavailable', 'jdk', first, exit);
  // A tool that says which command sets it up first: `terraform init`, `bundle install`, `prisma generate`.
  const setup = firstMatch(SET_UP_FIRST, text);
  if (setup) return make('usage error', `set up first: ${setup}`, first, exit);
  // Migrations written or pulled and not applied: the app (or its tests) meets a schema behind its code.
  if (/ActiveRecord::PendingMigrationError|Migrations are pending\. To resolve this issue, run:\s+bin\/rails db:migrate/.test(text)
    || (/django\.db\.utils\.(?:OperationalError: no such table|ProgrammingError: relation "[^"]+" does not exist)/.test(text) && !top.some((c) => isTestRun(c) || c.args.includes('migrate')))) {
    return make('usage error', 'pending migrations', first, exit);
  }
  // A project that pins its package manager's version (packageManager in package.json): corepack runs that one.
  if (/defines "packageManager": "[\w-]+@[^"]+"\. However the current global version of \w+ is/.test(text)) return make('usage error', 'corepack', first, exit);
  // What to run named wrong: cargo with no binary (a library) or several, go given a package
  // path without `./`, which it looks up in the standard library (an import in code says file:line first).
  if (/error: a bin target must be available for `cargo run`|`cargo run` could not determine which binary to run/.test(text)) return make('usage error', 'cargo run target', first, exit);
  const goPath = /^package (\S+) is not in (?:std|GOROOT) \(/m.exec(text)?.[1];
  if (goPath && top.some((c) => c.program === 'go' && c.args.includes(goPath))) return make('usage error', 'go package path', first, exit);
  // A manifest with a field the Kubernetes API does not have, or without one it needs.
  if (top.some((c) => ['kubectl', 'oc', 'helm'].includes(c.program)) && /error validating data: \[?ValidationError\(|strict decoding error: unknown field|cannot be handled as a \w+: json: cannot unmarshal/.test(text)) return make('usage error', 'kubernetes manifest', first, exit);
  if (/ERR_PNPM_OUTDATED_LOCKFILE/.test(text)) return make('dependency conflict', 'outdated lockfile', first, exit);
  // A CLI with no logged-in account here says which command logs in: the person runs it.
  const login = firstMatch(CLI_LOGINS, text);
  // `gh auth status` or `vercel whoami` asked who is logged in: that answer is a probe's (isProbe).
  if (login && !top.some((c) => (c.args[0] === 'auth' && c.args[1] === 'status') || c.args[0] === 'whoami')) return make('permission', `login: ${login}`, first, exit);
  // npm asking for a login the agent cannot give.
  if (/\bENEEDAUTH\b|need auth This command requires you to be logged in|npm error code E401/.test(text)) return make('permission', 'npm login', first, exit);
  // A database the project needs is not running (Prisma's P1001, psql, Postgres drivers).
  if (/\bP1001\b.*Can't reach database server|could not connect to server: Connection refused[\s\S]*Is the server running|connection to server at "?(?:localhost|127\.0\.0\.1)"?.*failed: Connection refused|SQLSTATE\[HY000\] \[2002\] Connection refused|Can't connect to local MySQL server through socket|Can't connect to MySQL server on '(?:localhost|127\.0\.0\.1)(?::\d+)?' \(111\)/.test(text)) return make('tool unavailable', 'database server', first, exit);
  // Docker's client with no daemon to talk to: Docker Desktop (or the service) is not running here.
  if (/Cannot connect to the Docker daemon at |Is the docker daemon running\?|error during connect: .*docker_engine/i.test(text)) return make('tool unavailable', 'docker daemon', first, exit);
  // pytest's own usage error (exit 4): an option of a plugin that is not installed (`--cov` without pytest-cov).
  if (exit === 4 && /^(?:ERROR: usage: pytest|pytest: error: )/m.test(text)) {
    return make('usage error', /unrecognized arguments: (?:--cov|-n\b|--numprocesses|--dist|--reruns|--timeout|--benchmark|--html|--json-report|--randomly|--mypy|--asyncio-mode|--snapshot-update|--splits|--lf-plugin)/.test(text) ? 'pytest plugin option' : 'pytest', first, exit);
  }
  // Node reading an ES module file as CommonJS: no "type": "module" and no .mjs.
  if (/Cannot use import statement outside a module/.test(text) && top.some((c) => c.program === 'node') && !top.some(isTestRun) && !/[\\/]node_modules[\\/]/.test(text)) return make('syntax error', 'import in commonjs', first, exit);
  // Claude Code refuses a long foreground sleep and says what to use instead.
  if (/^Blocked: sleep \d+/.test(text.trim())) return make('timeout', 'sleep blocked', first, exit);
  // zsh fails a whole command when a glob matches nothing; bash passes it on as text.
  // A probe's glob finding nothing is its answer, but parentheses (a Next.js route group) are never meant as one.
  const noMatch = /^(?:\(eval\)|zsh):\d*:? ?no matches found: (.*)$/m.exec(text)?.[1];
  if (noMatch !== undefined && (/[()]/.test(noMatch) || !isProbe(cmds, source, '', ps))) return make('syntax error', 'zsh glob', first, exit);
  if (/target may not be installed|rustup target add [\w-]+/.test(text)) return make('dependency conflict', 'rust target', first, exit);
  if (/no (?:open )?pull requests? found for branch/i.test(text)) return make('git', 'no pull request', first, exit, { kind: 'probe', why: 'there is no pull request for the branch yet: an answer, not a mistake' });
  for (const { re, runner } of MISSING_SCRIPT) {
    const m = re.exec(text);
    // Every missing script is one mistake (not reading package.json), whichever name was guessed;
    // a missing make target, just recipe or mise task is not reading that runner's file.
    if (m) return { ...make('missing script', runner ?? '', first, exit), subject: m[1]! };
  }
  // npx, bunx and pnpm dlx run a package's bin, whose name may differ from the package's.
  // `uv run X` or `poetry run X` when X is not installed in the project's environment (a dev tool
  // never added): the runner says it could not start it. A missing dependency, not a red test run or a lint finding.
  for (const r of ENV_RUNNERS) {
    const tool = r.says.exec(text)?.[1];
    if (tool && top.some((c) => c.program === r.runner && c.args[0] === 'run')) return make('module not found', tool, first, exit);
  }
  // A script that prompts (Python's input()) run where nothing answers: the Bash tool has no terminal.
  if (/^EOFError: EOF when reading a line/m.test(text)) return make('runtime error', 'interactive input', first, exit);
  // A CLI that would ask (a choice, a confirmation, a login) finding no terminal to ask on.
  if (/the input device is not a TTY|Failed to prompt|requires confirmation\. Use (?:option )?"?--yes"?|In a non-interactive environment, it's necessary to set|stdin is not a (?:tty|terminal)/i.test(text)) {
    // Each program's prompts are its own to learn (its flags, its token): one mistake a program.
    const cause = make('usage error', 'prompt without a terminal', first, exit);
    if (!last) return cause;
    // `npx vercel deploy`: the program is the package npx runs.
    const pkg = ['npx', 'bunx', 'pnpx', 'uvx'].includes(last.program) || (['pnpm', 'yarn'].includes(last.program) && last.args[0] === 'dlx') ? last.args.find((a, i) => !a.startsWith('-') && !(i === 0 && a === 'dlx')) : undefined;
    const program = pkg ? `${last.program} ${pkg.replace(/@[^@/]*$/, '')}` : last.program;
    return { ...cause, key: `${cause.key}:${program}`, program };
  }
  const binless = /could not determine executable to run(?: for package ([@\w./-]+))?/.exec(text);
  if (binless) return { ...make('usage error', 'package bin', first, exit), ...(binless[1] ? { subject: binless[1] } : {}) };
  // dash (Debian's /bin/sh) says `/usr/bin/xdg-open: 882: www-browser: not found`, and the script
  // that looked goes on to exit with a code of its own, not 127.
  if (exit === 127 || /command not found|is not recognized as an internal or external command|executable file not found/m.test(text) || /^\S+: \d+: [\w.+-]+: not found$/m.test(text) || PS_NOT_RECOGNIZED.test(text)) {
    let program: string | undefined;
    for (const re of NOT_FOUND) {
      const m = re.exec(text);
      if (m?.[1]) {
        program = m[1].replace(/^.*[\\/]/, '');
        break;
      }
    }
    if (!program || /^\d+$/.test(program)) program = last?.program;
    // PowerShell names a program run by its path in full: the file is not there.
    const psTerm = PS_NOT_RECOGNIZED.exec(text)?.[1];
    if (psTerm && /[\\/]/.test(psTerm)) return /^(?:[A-Za-z]:)?[\\/]/.test(psTerm) ? make('file not found', 'executable', first, exit) : make('wrong directory', 'cwd', first, exit);
    // `Get-Command x`, `where.exe x`: PowerShell says the asked-for name is not recognised, and that
    // is the answer; unless the line then runs it anyway.
    const asked = program?.toLowerCase();
    if (ps && asked && cmds.some((c) => PS_CHECKS.includes(c.program) && c.args.some((a) => a.toLowerCase() === asked)) && !cmds.some((c) => c.program.toLowerCase() === asked)) {
      return make('command not found', 'probe', first, exit, { kind: 'probe', why: `\`${asked}\` was asked for and is not installed: the answer, not a mistake` });
    }
    // A script whose shebang (`#!/usr/bin/env python`) names an interpreter this machine lacks:
    // env says so, the script itself is there. The script needs it; the agent did not type it.
    const shebang = /^(?:\/usr\/bin\/)?env: ['‘]?([\w.+-]+)['’]?: No such file or directory/m.exec(text)?.[1];
    const script = cmds.find((c) => c.program !== 'env' && /[\\/]|\.\w+$/.test(c.raw));
    if (shebang && script && !cmds.some((c) => c.program === 'env' && c.args.includes(shebang))) return { ...make('command not found', shebang, first, exit), calledBy: script.raw.replace(/^\.\//, '') };
    // A program run by its path: relative and missing, the working directory is not what the agent
    // thought; absolute and missing, the file is not there (not built, guessed).
    const missingPath = /no such file or directory:\s*(\S*\/\S*)/i.exec(text)?.[1] ?? /(\S*\/\S+): No such file or directory/.exec(text)?.[1] ?? cmds.find((c) => c.program === program && /\//.test(c.raw))?.raw;
    if (missingPath) return missingPath.startsWith('/') || /^[A-Za-z]:[\\/]/.test(missingPath) ? make('file not found', 'executable', first, exit) : make('wrong directory', 'cwd', first, exit);
    const missing = make('command not found', program ?? '', first, exit);
    const caller = program ? callerOf(text, program) : undefined;
    return caller ? { ...missing, calledBy: caller } : missing;
  }
  const tests = [...top].reverse().find(isTestRun);
  // A test run whose web server never came up (Playwright's webServer) did not test anything: the port was taken.
  if (/Timed out waiting \d+ms from config\.webServer/.test(text) && /Port \d+ is in use|address already in use|EADDRINUSE/i.test(text)) return make('other', 'port in use', first, exit);
  for (const re of MODULE) {
    const m = re.exec(text);
    if (!m) continue;
    // Under a test run, a missing module of the project's own (a relative path) or one a test
    // script reports in its own words ("FAIL: Failed to import app - No module named x") is the
    // code being written; an uncaught interpreter error naming a package is a missing dependency.
    // Python naming a submodule (`No module named 'app.assets'`) found the package itself: the
    // project's own modules are being moved or removed, which the test run is there to show.
    const submodule = /No module named|ModuleNotFoundError/.test(m[0]) && (m[1] ?? '').includes('.');
    if (tests && (packageOf(m[1] ?? '') === 'relative' || !uncaughtAt(text, m.index) || submodule)) break;
    // `python3 -c "import x"` and nothing else asks whether x is installed here: no is its answer.
    if (importQuestion(top, m[1] ?? '')) return make('module not found', 'probe', first, exit, { kind: 'probe', why: `\`${top[top.length - 1]!.program} ${top[top.length - 1]!.args[0]} ...\` asked whether the module is installed: the answer, not a mistake` });
    return make('module not found', packageOf(m[1] ?? 'module'), first, exit);
  }
  // `uv sync` or `pip install -e .` failing to build the project's own package: its packaging is the work.
  if (/Failed to build `[^`]+ @\s*(?:[│|]\s*)?file:\/\/|failed to build editable|Getting requirements to build editable did not run successfully|Preparing editable metadata \([^)]*\) did not run successfully/i.test(text)) {
    return make('other', 'own package build', first, exit, { kind: 'task-expected', why: "the project's own package failing to build is its packaging being worked on" });
  }
  // pnpm, yarn and corepack refuse to run in a project whose packageManager names another one.
  const wantedPm = /This project is configured to use (npm|pnpm|yarn|bun)\b/.exec(text)?.[1];
  if (wantedPm) return make('usage error', `package manager ${wantedPm}`, first, exit);
  if (/missing go\.sum entry|go: updates to go\.mod needed|go\.sum: (?:checksum mismatch|verifying)/i.test(text)) return make('dependency conflict', 'go modules', first, exit);
  if (/externally-managed-environment|externally managed environment/i.test(text)) return make('dependency conflict', 'externally managed python', first, exit);
  if (/\bERESOLVE\b|unable to resolve dependency tree|conflicting peer dependency|ERR_PNPM_PEER_DEP/i.test(text)) return make('dependency conflict', last?.program ?? '', first, exit);
  // `cd` into a folder that is not there: the commands after it never ran.
  if (/(?:^|[\s:])cd:(?:\d+:)?\s*(?:no such file or directory|not a directory|can't cd)|\bcd: [^\n]*: No such file or directory/im.test(text)) return make('wrong directory', 'cwd', first, exit);
  if (/no Go files in|go: cannot find main module|does not contain main module|go\.mod file not found|could not find `Cargo\.toml`|no pyproject\.toml|No such file or directory: 'manage\.py'/i.test(text)) return make('wrong directory', 'cwd', first, exit);
  // zsh reads an unquoted word that starts with `=` (`echo ===`) as "the path of program ==".
  if (/^(?:\(eval\)|zsh):\d*:? ?=\S* not found$/m.test(text) || (/…\[\d+ more chars\]$/.test(text.trim()) && UNQUOTED_EQUALS.test(unquoted(source)))) return make('syntax error', 'zsh equals', first, exit);
  // `cmd 2>&1 | tail -20` whose filter says `tail: 2: No such file or directory`: the redirect reached
  // it as a word, so the line was rewritten on its way to the shell; not what `cmd` (a test run) said.
  if (/^[\w.+-]+: 2: No such file or directory$/m.test(text) && /(?:^|\s)2>/.test(source)) return make('syntax error', 'redirect split', first, exit);
  // A backup copy of a Go file left in the package (`mcp_original.go`) is compiled too: every name in it is declared twice.
  const redeclared = /^\s*(?:\.\/)?([\w./-]+\.go):\d+:\d+: \S+ redeclared in this block/m.exec(text)?.[1];
  if (redeclared && /(?:[_.-](?:orig|original|old|backup|bak|copy|prev)|[_.-]v\d+)\.go$/i.test(redeclared)) return make('syntax error', 'backup copy in package', first, exit);
  // `pnpm lint -- --flag FILE`: pnpm passes the `--` on, and the linter reads the flags after it as file patterns.
  if (/No files matching the pattern "--[\w-]+" were found/.test(text)) return make('usage error', 'flags after --', first, exit);
  // zsh does not split an unquoted `$VAR` into words: `for f in $FILES` runs once, with the whole list as one name.
  const assigned = [...source.matchAll(/\b(\w+)=(["'])([^"'\n]*\s[^"'\n]*)\2/g)].find((m) => new RegExp(`\\bfor\\s+\\w+\\s+in\\s+\\$\\{?${m[1]}\\}?(?=[\\s;])`).test(source));
  if (assigned && text.split('\n').some((l) => l.includes(assigned[3]!) && /No such file or directory|Can't open|cannot open|not found/i.test(l))) return make('syntax error', 'zsh word split', first, exit);
  // BSD sed (macOS) takes the word after -i as the backup suffix: `sed -i 's/a/b/' f` reads f as the script.
  if (top.some((c) => c.program === 'sed' && c.args.includes('-i') && c.args[c.args.indexOf('-i') + 1] !== '') && /^sed: (?:1: "[^"]*": )?(?:undefined label|invalid command code|extra characters at the end of \w+ command|unterminated substitute)/m.test(text)) return make('usage error', 'bsd sed -i', first, exit);
  // `sed 's/a/b/'` with a `/` inside a or b: sed reads the rest as flags.
  if (/^sed: -e expression #\d+, char \d+: unknown option to `s'|^sed: \d+: .*: bad flag in substitute command/m.test(text)) return make('syntax error', 'sed delimiter', first, exit);
  // A filter written for a JSON shape the data does not have: jq (or gh --jq) names the types.
  if (/jq: error \(at [^)]*\): Cannot (?:index|iterate over) |^expected an object but got: |^Cannot index \w+ with /m.test(text) && top.some((c) => c.program === 'jq' || (c.program === 'gh' && c.args.some((a) => a === '--jq' || a === '-q' || a.startsWith('--jq=')))) ) {
    return make('usage error', 'json shape', first, exit);
  }
  // The same guess in a throwaway script (`python3 -c`, a script on stdin, `node -e`, one in /tmp)
  // that reads data: the failing command's own code, not a test run's, not the project's code it calls.
  if (DATA_SHAPE.test(text) && top.some(oneOffScript) && !top.some(isTestRun) && !projectFrame(text)) return make('usage error', 'json shape', first, exit);
  // A sandboxed shell (Claude Code's Bash sandbox) may not create the temp file a heredoc needs: `$(cat <<'EOF' …)` is then empty.
  if (/can't create temp file for here document|cannot create temp file for here-document/i.test(text)) return make('syntax error', 'heredoc in sandbox', first, exit);
  if (/syntax error near unexpected token|unexpected EOF while looking for matching|parse error near|parse error:|bad substitution|unmatched ['"`(]/i.test(text)) return make('syntax error', 'shell', first, exit);
  // `python3 -c "…"` whose code the shell quoting changed (`!=` gaining a backslash, `\"` inside single quotes): a backslash Python cannot parse.
  if (/File "<string>", line \d+[\s\S]*SyntaxError: unexpected character after line continuation character/.test(text) && cmds.some((c) => /^python[\d.]*$/.test(c.program) && c.args.includes('-c'))) return make('syntax error', 'shell', first, exit);
  if (/CONFLICT \(|Automatic merge failed|Merge conflict in|is not mergeable: the merge commit cannot be cleanly created/.test(text)) return make('git', 'merge conflict', first, exit, { kind: 'task-expected', why: 'a merge conflict is work to resolve, not a mistake' });
  // git, by its messages
  // `git rev-parse --abbrev-ref BRANCH@{upstream}` asks which branch it tracks: "none" is the answer.
  if (last?.program === 'git' && last.args[0] === 'rev-parse' && last.args.some((a) => /@\{(?:u|upstream|push)\}$/.test(a)) && /no upstream configured|no such branch: /i.test(text)) {
    return make('git', 'upstream probe', first, exit, { kind: 'probe', why: 'git was asked which branch this one tracks, and it tracks none: the answer, not a mistake' });
  }
  if (/has no upstream branch|no upstream configured/i.test(text)) return make('git', 'no upstream', first, exit);
  if (/There is no tracking information for the current branch/.test(text)) return make('git', 'pull without upstream', first, exit);
  if (/fatal: '[^']+' does not appear to be a git repository|could not find '[^']+' remote: remote not found|fatal: No such remote '[^']+'/.test(text)) return make('git', 'remote missing', first, exit);
  // gh reads the repository from the remotes; one hosted elsewhere (a local mirror, GitLab) gives it none.
  if (/none of the git remotes configured for this repository point to a known GitHub host/.test(text)) return make('git', 'gh remote not on github', first, exit);
  if (/fatal: destination path '[^']+' already exists and is not an empty directory/.test(text)) return make('git', 'clone into existing folder', first, exit);
  // A commit or branch named from elsewhere (a pull request, another clone) that this clone has not fetched.
  // Only a commit id or a remote's branch: `git log src/old.ts` of a path gone, or `HEAD~9` past
  // the first commit, is not something to fetch.
  const unknownRev = /fatal: ambiguous argument '([^']+)': unknown revision or path not in the working tree|fatal: bad revision '([^']+)'|fatal: bad object ([0-9a-f]{7,40})\b/.exec(text);
  const rev = unknownRev ? (unknownRev[1] ?? unknownRev[2] ?? unknownRev[3])! : '';
  if (unknownRev && /^(?:[0-9a-f]{7,40}|(?:origin|upstream)\/\S+)$/.test(rev) && top.some((c) => c.program === 'git')) return make('git', 'revision not here', first, exit);
  // HEAD itself unknown: the repository has no commit yet, so nothing that reads HEAD works.
  if (top.some((c) => c.program === 'git') && ((unknownRev && rev === 'HEAD') || /does not have any commits yet/.test(text))) return make('git', 'no commit yet', first, exit);
  if (/fatal: not under version control, source=/.test(text)) return make('git', 'mv untracked', first, exit);
  if (/Permission to \S+ denied to \S+|unable to access '[^']+': The requested URL returned error: 403/.test(text)) return make('git', 'push denied', first, exit);
  if (/(?:Author|Committer) identity unknown|Please tell me who you are/.test(text)) return make('git', 'identity unknown', first, exit);
  if (/Projects \(classic\) is being deprecated/.test(text) && last?.program === 'gh') return make('usage error', 'gh classic projects', first, exit);
  if (/'[^']+' is already (?:checked out|used by worktree) at '/.test(text)) return make('git', 'branch in another worktree', first, exit);
  if (/a pull request for branch "[^"]+" into branch "[^"]+" already exists|A pull request already exists for/.test(text)) return make('git', 'pull request exists', first, exit);
  // Local and remote have both moved: a plain pull refuses to pick between merge and rebase.
  if (/fatal: Not possible to fast-forward, aborting|fatal: Need to specify how to reconcile divergent branches/.test(text)) return make('git', 'pull diverged', first, exit);
  if (last?.program === 'gh' && /head branch "[^"]+" is the same as base branch "[^"]+", cannot create a pull request/.test(text)) return make('git', 'pull request from its base', first, exit);
  if (/contains modified or untracked files, use --force to delete it/.test(text) && top.some((c) => c.program === 'git' && c.args[0] === 'worktree')) return make('git', 'worktree not clean', first, exit);
  // gh by its messages: a new branch it cannot tell is pushed, a merge the branch protection refuses.
  if (last?.program === 'gh' && /you must first push the current branch to a remote, or use the --head flag/.test(text)) return make('git', 'pull request head', first, exit);
  if (last?.program === 'gh' && /base branch policy prohibits the merge/.test(text)) return make('git', 'merge blocked by branch policy', first, exit);
  // `git branch -d` of a branch whose pull request was squash-merged: git does not see it merged.
  if (/error: the branch '[^']+' is not fully merged/.test(text) && top.some((c) => c.program === 'git' && c.args[0] === 'branch')) return make('git', 'branch not merged', first, exit);
  if (/^fatal: '[^']+' already exists$/m.test(text) && top.some((c) => c.program === 'git' && c.args[0] === 'worktree' && c.args[1] === 'add')) return make('git', 'worktree path exists', first, exit);
  if (last?.program === 'gh' && last.args.some((a) => /^--(?:add-)?label/.test(a) || a === '-l') && /(?:could not add label: )?'[^']+' not found/.test(text)) return make('usage error', 'gh label', first, exit);
  // `git show <ref>:<path>` asks whether the file is in that ref: "exists on disk, but not in" is the answer.
  if (last?.program === 'git' && last.args[0] === 'show' && last.args.some((a) => /^[^-:][^:]*:\S/.test(a)) && /fatal: path '[^']+' (?:exists on disk, but not in|does not exist in) '/.test(text)) {
    return make('file not found', 'git show', first, exit, { kind: 'probe', why: 'git was asked whether the file is in that ref: the answer, not a mistake' });
  }
  if (/not a git repository/i.test(text)) {
    // `git rev-parse --is-inside-work-tree` asks exactly this.
    if (last?.program === 'git' && last.args[0] === 'rev-parse' && last.args.some((a) => ['--is-inside-work-tree', '--git-dir', '--show-toplevel'].includes(a))) {
      return make('wrong directory', 'git probe', first, exit, { kind: 'probe', why: 'git was asked whether this is a repository: the answer, not a mistake' });
    }
    return make('wrong directory', 'git', first, exit);
  }
  if (/fatal: a branch named '[^']+' already exists/i.test(text)) return make('git', 'branch exists', first, exit);
  if (/Could not resolve to a Repository with the name|repository not found|Repository not found/i.test(text)) return make('file not found', 'repository', first, exit);
  if (/argumentNotAccepted|doesn't accept argument|undefinedField|Field '[^']+' doesn't exist on type/i.test(text)) return make('usage error', 'gh api', first, exit);
  if (/Unix shell quoting issues\?/i.test(text)) return make('syntax error', 'shell', first, exit);
  // GitHub's own refusals end in "failed to push some refs" too: theirs are read first.
  if (/push declined due to secret|Push cannot contain secrets|secret scanning|GITHUB PUSH PROTECTION/i.test(text)) return make('git', 'push protection', first, exit);
  // Any other rule of the branch (a pull request, status checks that must pass first) is its protection.
  if (/GH006: Protected branch update failed|GH013: Repository rule violations|protected branch hook declined|push declined due to repository rule violations/i.test(text)) return make('git', 'protected branch', first, exit);
  if (/GH001: Large files detected|exceeds GitHub's file size limit/.test(text)) return make('git', 'large file', first, exit);
  if (/\[rejected\]|failed to push some refs|Updates were rejected/i.test(text)) return make('git', 'push rejected', first, exit);
  // Only the agent's own git: a test harness's git failing inside it is the harness's business.
  if (/pathspec .* did not match any file/i.test(text) && top.some((c) => c.program === 'git') && !(last?.program === 'git' && last.args.includes('--error-unmatch'))) return make('file not found', 'git pathspec', first, exit);
  if (/would be overwritten by (?:merge|checkout|switch)|Your local changes to the following files would be overwritten|untracked working tree files would be overwritten|cannot (?:rebase|pull with rebase): You have unstaged changes/i.test(text)) return make('git', 'local changes in the way', first, exit);
  // Only the agent's own `git add`: a test script adding ignored paths is the script's business.
  // `git stash push -u -- PATH` refuses an ignored path in the same words.
  if (top.some((c) => c.program === 'git' && (c.args[0] === 'add' || c.args[0] === 'stash')) && /The following paths are ignored by one of your \.gitignore files/i.test(text)) return make('git', 'ignored path', first, exit);
  if (/nothing to commit|no changes added to commit/i.test(text)) return make('git', 'nothing to commit', first, exit, { kind: 'probe', why: 'git had nothing to commit: a state, not a mistake' });
  if (/Could not read package\.json|ENOENT.*package\.json|no package\.json|ERR_PNPM_NO_IMPORTER_MANIFEST_FOUND/i.test(text)) return make('wrong directory', 'package.json', first, exit);
  // The file a tool starts from is not in this folder: uv's and poetry's pyproject.toml, compose's
  // file, make's makefile. The working directory is not the project's.
  const pipHere = /[Nn]either 'setup\.py' nor 'pyproject\.toml' found/.test(text) && top.some((c) => /^pip3?$|^uv$/.test(c.program) && c.args.some((a) => a === '.' || a === './'));
  const manifest = /No `pyproject\.toml` found in current directory|could not find a pyproject\.toml file/i.test(text) || pipHere ? 'pyproject.toml'
    : /^no configuration file provided: not found$/m.test(text) && top.some((c) => (c.program === 'docker' && c.args[0] === 'compose') || c.program === 'docker-compose') ? 'compose file'
    : /No targets specified and no makefile found/.test(text) ? 'Makefile' : undefined;
  if (manifest) return make('wrong directory', manifest, first, exit);
  // interpreters
  if (/^SyntaxError|\bSyntaxError:|IndentationError/m.test(text)) {
    // `python -m py_compile x.py` is run to find exactly this: the check doing its work.
    if (top.some((c) => ['python', 'python3'].includes(c.program) && c.args[0] === '-m' && ['py_compile', 'compileall'].includes(c.args[1] ?? ''))) {
      return make('syntax error', 'python', first, exit, { kind: 'lint-feedback', why: 'a syntax check reporting the error it looks for is the check doing its work' });
    }
    // A test run finding a syntax error in the code under work is the test doing its work.
    if (tests) return make('test failure', tests.program, first, exit, { kind: 'test-run', why: `a test run (${tests.program}) going red is the work of fixing it` });
    return make('syntax error', last?.program ?? '', first, exit);
  }
  if (/cygheap read copy failed|Command failed: cygpath|fork: (?:retry: )?Resource temporarily unavailable|Cannot allocate memory/i.test(text) || (exit === 66 && ls.length <= 1)) {
    return make('other', 'shell', first, exit, { kind: 'transient', why: 'the shell itself failed (Git Bash, fork), not the command' });
  }
  // The host answered and refused every key this machine offered: access, not the network.
  if (/Permission denied \((?:publickey|publickey,[\w,-]+)\)/.test(text)) return make('permission', 'ssh key', first, exit);
  if (/ssh: connect to host .* (?:timed out|refused)|Connection (?:timed out|refused) by remote host|kex_exchange_identification/i.test(text) || (last?.program === 'ssh' && exit === 255)) {
    return make('network', 'ssh', first, exit, { kind: 'transient', why: 'a remote host did not answer' });
  }
  const committing = top.find((c) => c.program === 'git' && c.args[0] === 'commit');
  // A formatter check in the hook that fails again and again: formatting before committing is the habit to learn.
  if (committing && /Code style issues found|Run Prettier with --write|would reformat|files were modified by this hook|Formatting issues? found|gofmt|rustfmt --check|Diff in .* at line/i.test(text)) {
    return make('lint', 'format before commit', first, exit);
  }
  // A hook that refuses commits to main says how the project works (a branch and a pull request
  // for every change): that convention, not the check, is what to learn.
  if (committing && /(?:cannot|can't|not allowed to|refus\w* to) commit (?:directly )?(?:to|on) ['"`]?(?:main|master)\b|direct commits? (?:to|on) ['"`]?(?:main|master)\b (?:is|are) not allowed/i.test(text)) {
    return make('git', 'commit to main', first, exit);
  }
  if (committing && (exit === 1 || exit === undefined) && !/nothing to commit|no changes added|Author identity unknown|not a git repository|pathspec/i.test(text)) {
    return make('other', 'git hook', first, exit, { kind: 'hook-block', why: 'a git hook (pre-commit, commit-msg) refused the commit: its checks did their work' });
  }
  if (/gpg failed to sign the data|error: gpg failed|signing failed: (?:Inappropriate ioctl|No pinentry)/i.test(text)) return make('git', 'gpg signing', first, exit);
  // Commits signed with an SSH key an agent holds (1Password) that waits for the person's approval.
  if (committing && /error: 1Password: (?:failed to fill whole buffer|agent returned an error)/i.test(text)) return make('git', 'ssh signing agent', first, exit);
  if (/password authentication failed|Authentication failed for|Access denied for user|invalid (?:username or password|credentials)|Bad credentials/i.test(text)) return make('permission', 'credentials', first, exit);
  if (/requires root privileges|must be run as root|must be root|you need to be root|Run as root/i.test(text)) return make('permission', 'sudo', first, exit);
  if (/sudo: (?:a terminal is required|no tty present|a password is required)|sudo: \d+ incorrect password/i.test(text)) return make('permission', 'sudo', first, exit);
  // A program's own complaint about how it was called starts its line ("error: unknown option",
  // "cat: illegal option"); the same words inside a sentence of a script's output are not one.
  // gh (and other CLIs built on cobra) lists the fields `--json` takes when given one it does not.
  if (/Unknown JSON field: "[^"]+"/.test(text) && /Available fields:/.test(text)) return make('usage error', `${last?.program ?? 'gh'} json fields`, first, exit);
  // The program said which flag it wants: "requires --accept-visibility-change-consequences flag",
  // "Please specify a service via the '--service' flag". Keyed by program and flag: another flag is another mistake.
  const wanted = /\brequires (?:the )?['"`]?(--[a-z][\w-]*)['"`]? (?:flag|option)|\bplease (?:specify|pass|provide|set) [^.\n]{0,60}?\b(?:via|with|using) (?:the )?['"`]?(--[a-z][\w-]*)['"`]?/i.exec(text);
  if (wanted && last) return make('usage error', `${commandLabel(last)} needs ${wanted[1] ?? wanted[2]}`, first, exit);
  // Click (Python CLIs) boxes its "No such option: --title" under a usage line.
  const usage = /^(?:[\w.-]+: )?(?:error: )?(?:unknown|unrecognized|invalid|illegal) (?:option|flag|argument|subcommand|command|linters?)\b|^(?:│ |Error: )?No such option: |unexpected argument '[^']+' found|^Invalid Parameters|usage: \S+ \[|^accepts (?:at most|at least|exactly|between) [\d ]+(?:and \d+ )?arg\(s\), received \d+|^flag needs an argument:/im.exec(text);
  // A subcommand the program does not have, in each program's words: git's and docker's "is not a git
  // command", firebase's "is not a Firebase command", cargo's "no such command", go's "go tset: unknown command".
  const noSuchCommand = /^(?:[\w.-]+: )?'[^']+' is not an? [\w.-]+ command\b|^(?:Error: )?\S+ is not an? [\w.-]+ command$|^error: no such (?:sub)?command: |^[\w.-]+ [\w.:-]+: unknown (?:sub)?command$/im.exec(text);
  // git's extensions are programs of their own (git-lfs, git-filter-repo): "'lfs' is not a git command" says one is not installed.
  const extension = /^git: '(lfs|flow|filter-repo|crypt|secret|secrets|annex|absorb|machete|town|sizer|extras)' is not a git command/m.exec(text)?.[1];
  if (extension) return { ...make('command not found', `git-${extension}`, first, exit), calledBy: 'git' };
  if (noSuchCommand && last && exit !== 127) {
    const named = /^([\w.-]+): '[^']+' is not an? /im.exec(text)?.[1] ?? /^([\w.-]+) [\w.:-]+: unknown (?:sub)?command$/im.exec(text)?.[1];
    return make('usage error', named && named.toLowerCase() === last.program.toLowerCase() ? named : last.program, first, exit);
  }
  if (usage && last && (exit === undefined || exit === 1 || exit === 2 || exit === 3 || exit === 64 || exit === 129)) {
    // The program that complained names itself: "usage: git status", "cat: illegal option".
    const named = /^usage:\s+([\w.-]+)/im.exec(text)?.[1] ?? /^([\w.-]+): (?:illegal|invalid|unknown|unrecognized) option/im.exec(text)?.[1] ?? /^To see a list of supported (npm) commands, run:/m.exec(text)?.[1];
    return make('usage error', named ?? last.program, first, exit);
  }
  const permission = /EACCES|Permission denied|Operation not permitted|EPERM/.test(text);
  const missingPath = /No such file or directory|ENOENT|cannot access|does not exist|can't open file|cannot find the path/i.test(text);
  // A test run or a checker anywhere in the line: piped into `head` or `Select-Object`, chained after a build.
  const testRun = tests;
  // A coverage run given a few test files whose tests all pass: the project's global coverage
  // threshold, measured over those files only, is what failed.
  if (testRun && coverageOnPart(top, text)) return make('usage error', 'coverage on part of the suite', first, exit);
  // A test runner given a file or path that matches no test file ran nothing: the path was guessed or mistyped.
  if (testRun && /^(?:Error: )?No tests found|did not match any test files|^No test files found|^ERROR: file or directory not found: /m.test(text) && testRun.args.some((a) => !a.startsWith('-') && /[\\/]|\.\w+$/.test(a))) {
    return make('file not found', 'test file', first, exit);
  }
  if (testRun) return make('test failure', testRun.program, first, exit, { kind: 'test-run', why: `a test run (${testRun.program}) going red is the work of fixing it` });
  // pre-commit or lefthook failing before any hook ran (a broken config, a hook id that is not there) is not the checks at work.
  const hooksBroke = /An (?:unexpected )?error has occurred|No hook with id|InvalidConfigError/.test(text);
  const checkRun = [...top].reverse().find((c) => isCheckRun(c) && !(hooksBroke && ['pre-commit', 'lefthook'].includes(c.program)));
  // Every finding is "no newline at end of file" (ruff, flake8, pycodestyle W292): not the code
  // being worked on but how files are written, so the same check fails on it after every Write.
  const codes = [...text.matchAll(/(?:^|:\d+:\d+:?\s)([A-Z]{1,4}\d{3,4})\b/gm)].map((m) => m[1]);
  if (checkRun && codes.length && codes.every((c) => c === 'W292')) return make('lint', 'final newline', first, exit);
  if (checkRun) {
    const category: Category = /error TS\d+|mypy|pyright|tsc/.test(text) || ['tsc', 'mypy', 'pyright', 'vue-tsc'].includes(checkRun.program) ? 'type error' : 'lint';
    return make(category, checkRun.program, first, exit, { kind: 'lint-feedback', why: `${checkRun.program} reporting findings is the check doing its work` });
  }
  // A project's own checker script that ran to its report: the findings are what it was run for.
  const checker = top.map(checkerScriptOf).filter(Boolean).pop();
  if (checker && (exit === undefined || exit === 1 || exit === 2) && !CHECKER_BROKE.test(text)) {
    return make('lint', checker, first, exit, { kind: 'lint-feedback', why: `the project's checker (${checker}) reporting findings is the check doing its work` });
  }
  const buildRun = [...top].reverse().find(isBuildRun);
  if (buildRun && CODE_FINDING.test(text)) {
    return make(/error TS\d+/.test(text) ? 'type error' : 'lint', buildRun.program, first, exit, { kind: 'lint-feedback', why: `the build pointing at lines of the code being written is the build doing its work` });
  }
  // curl could not resolve the host: a name written from memory (a device's `.local` name, a
  // service's host) that this machine does not know.
  if (last?.program === 'curl' && exit === 6) return make('network', 'host name', first, exit);
  // curl giving up on a connection is the answer to whether a server is up, not a mistake.
  if (last?.program === 'curl' && exit !== undefined && CURL_UNREACHED.has(exit)) return make('network', 'curl', first, exit, { kind: 'probe', why: 'nothing answered at that address: the answer to whether a server is up' });
  // Claude Code 1.0 wrote a failed command's output without its exit code: unknown counts as non-zero.
  // 142 is SIGALRM: `ping -t 2` giving up when it said it would.
  // `git rev-parse --verify REF` exits 128 when the ref is not there: that is its answer.
  if (last?.program === 'git' && exit === 128 && last.args[0] === 'rev-parse' && last.args.includes('--verify') && /^fatal: Needed a single revision$/m.test(text)) return make('file not found', 'probe', first, exit, { kind: 'probe', why: '`git rev-parse --verify` answered no: that ref is not there' });
  // `command -v x` alone runs nothing, so the parser gives no command: exit 1 is "not installed".
  if (!cmds.length && exit === 1 && /^\s*command\s+-[vV]\s+[\w.+@-]+\s*$/.test(source)) return make('file not found', 'probe', first, exit, { kind: 'probe', why: '`command -v` answered no: a check, not a mistake' });
  if (last && (exit === undefined || (exit > 0 && exit < 126) || exit === 142) && isProbe(cmds, source, text, ps) && !permission) return make('file not found', 'probe', first, exit, { kind: 'probe', why: `\`${last.program}\` answered no: a check, not a mistake` });
  // Python (the python.org build on macOS) with no certificate store of its own: every HTTPS call fails the same way.
  if (/CERTIFICATE_VERIFY_FAILED|unable to get local issuer certificate/.test(text) && top.some((c) => /^python[\d.]*$/.test(c.program) || (c.program === 'uv' && c.args[0] === 'run'))) return make('network', 'python certificates', first, exit);
  // A secure connection that breaks off during its handshake: the network or a proxy between, not the command.
  if (TLS_BROKEN.test(text) && !/\b(?:localhost|127\.0\.0\.1|0\.0\.0\.0)\b/.test(text)) return make('network', last?.program ?? '', first, exit, { kind: 'transient', why: 'the secure connection broke off during its handshake: the network, not the command' });
  // A server of this machine answering 500 is the app under work failing, not a service's outage.
  if (SERVER_FAILED.test(text) && last && talksToService(last) && !LOCAL_ADDRESS.test(source) && !LOCAL_ADDRESS.test(text)) return make('network', last?.program ?? '', first, exit, { kind: 'transient', why: 'the remote service failed or was over its limits: the same call later is likely to work' });
  if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|getaddrinfo|Could not resolve host|socket hang up|network (is )?unreachable|fetch failed|TLS handshake|Temporary failure in name resolution|Connection refused|Failed to connect/i.test(text)) {
    return make('network', last?.program ?? '', first, exit);
  }
  if (/Command timed out|timed out after/i.test(text) || exit === 124 || exit === 143) {
    const slow = longRunning(cmds, text, source) ?? last;
    return { ...make('timeout', slow?.program ?? '', first, exit), ...(slow ? { program: commandLabel(slow) } : {}) };
  }
  if (permission) return make('permission', last?.program ?? '', first, exit);
  if (/error TS\d+/.test(text)) return make('type error', 'tsc', first, exit);
  // Python reading or printing text in the locale's code page (GBK, cp1252 on Windows), not UTF-8.
  if (LOCALE_CODEC.test(text)) return make('runtime error', 'locale encoding', first, exit);
  if (/require is not defined in ES module scope/.test(text)) return make('runtime error', 'require in es module', first, exit);
  // `from m import x` of a name m does not define: the name came from memory.
  if (/^ImportError: cannot import name '[^']+' from '[^']+'/m.test(text)) return make('runtime error', 'import name', first, exit);
  // A dependency pinned to a version that does not exist (from memory): each package manager's words.
  if (/invalid version: unknown revision|at revision \S+: unknown revision|No solution found when resolving dependencies[\s\S]*(?:only \S+ (?:is|are) available|there (?:is|are) no versions? of)|Could not find a version that satisfies the requirement \S+(?:==|>=|~=|<=)|No matching version found for \S+@|\bETARGET\b/.test(text)) return make('dependency conflict', 'version that does not exist', first, exit);
  // A database told a column or table the query named is not there: the schema was guessed.
  if (/\bno such column: |column "[^"]+" (?:of relation "[^"]+" )?does not exist|Unknown column '[^']+' in '/.test(text)) return make('usage error', 'database column', first, exit);
  // Alembic refuses to write a migration while the database is behind the ones already written.
  if (/Target database is not up to date/.test(text) && top.some((c) => c.program === 'alembic' || c.args.includes('alembic'))) return make('usage error', 'alembic behind head', first, exit);
  // The database names a migration the code no longer has (a branch switched, a file deleted or renamed).
  if (/Can't locate revision identified by '[^']+'/.test(text)) return make('usage error', 'alembic revision missing', first, exit);
  // Prisma will not apply new migrations while an earlier one is recorded as failed.
  if (/\bP3009\b[\s\S]*migrate found failed migrations/.test(text)) return make('usage error', 'prisma failed migration', first, exit);
  // Another terraform run holds the state's lock, or a run that died left it.
  if (/Error acquiring the state lock/.test(text)) return make('other', 'terraform state lock', first, exit);
  if (/^go: cannot run \*_test\.go files/m.test(text)) return make('usage error', 'go run of a test file', first, exit);
  if (/Cowardly refusing to install hooks with `?core\.hooksPath`? set/.test(text)) return make('usage error', 'pre-commit with core.hooksPath', first, exit);
  // A scaffolder (create-next-app, create-vite) refusing a folder that already has files.
  if (/contains files that could conflict|Target directory "?[^"\n]*"? is not empty|directory .* is not empty\. Please/i.test(text) && top.some((c) => /^create-|^(?:npx|npm|pnpm|yarn|bun|bunx)$/.test(c.program) && c.args.some((a) => /(?:^|\/)create-|^create$|^init$/.test(a)))) return make('usage error', 'scaffold into a folder with files', first, exit);
  if (/^Traceback \(most recent call last\)/m.test(text) || /^\s*(?:Uncaught )?(?:TypeError|ReferenceError|RangeError|AttributeError|KeyError|ValueError|NameError|IndexError|ZeroDivisionError|RuntimeError|panic):/m.test(text)) {
    const exc = /^(?:Uncaught )?(\w*(?:Error|Exception)|panic)\b/m.exec(ls.slice().reverse().join('\n'))?.[1] ?? 'exception';
    return make('runtime error', exc, first, exit);
  }
  if (missingPath) return make('file not found', last?.program ?? '', first, exit);
  if (lowerText.includes('address already in use') || /EADDRINUSE|port is already allocated/.test(text)) return make('other', 'port in use', first, exit);
  // A build that fails for no cause known above is the project's own code or configuration being
  // worked on (a framework refusing a setting, a plugin's message): the build doing its work.
  if (buildRun && (exit === undefined || exit === 1 || exit === 2)) return make('other', `${buildRun.program} build`, first, exit, { kind: 'lint-feedback', why: 'the build reporting what is wrong with the code or configuration being written is the build doing its work' });
  return make('other', last ? `${last.program}${last.args[0] && !last.args[0].startsWith('-') ? ` ${last.args[0]}` : ''}` : '', first, exit);
}

/** `mcp__attio__x` called from a checkout named `attio-mcp-server`: the server is what is being built. */
function ownServer(server: string, cwd: string): boolean {
  const folder = cwd.replace(/[\\/]+$/, '').split(/[\\/]/).pop()!.toLowerCase();
  const words = folder.split(/[^a-z0-9]+/).filter(Boolean);
  const name = server.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return name.length > 0 && words.some((_, i) => name.every((w, j) => words[i + j] === w));
}

/** Runners that start a project's own console script: `uv run NAME`, `poetry run NAME`. */
const SCRIPT_RUNS = new Set(['uv', 'poetry', 'pdm', 'hatch', 'pipenv', 'rye']);

/**
 * The project's own command, when the line runs it: `uv run mcp-venus-os`, `.venv/bin/my_tool`,
 * named like the checkout it is run from (`mcp-venus-os/`). Building that command and trying it
 * is the work.
 */
function ownCommandRun(cmds: ShellCommand[], cwd: string): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/_/g, '-');
  const folder = norm(cwd.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '');
  if (!folder) return undefined;
  for (const c of cmds) {
    if (c.nested) continue;
    const name = SCRIPT_RUNS.has(c.program) && c.args[0] === 'run' ? c.args.slice(1).find((a) => !a.startsWith('-')) : c.program;
    if (name && norm(name.replace(/^.*[\\/]/, '')) === folder) return name.replace(/^.*[\\/]/, '');
  }
  return undefined;
}

/** Whether the output holds a usage line of this very command (its program, or the script it runs), not another's. */
function usageOf(cmd: ShellCommand, text: string): boolean {
  const names = [cmd.program, cmd.args.find((a) => !a.startsWith('-')) ?? ''].map((n) => n.replace(/^.*[\\/]/, '')).filter((n) => n.length > 1);
  return [...text.matchAll(/^\s*usage:\s*(.*)$/gim)].some((m) => names.some((n) => m[1]!.includes(n)));
}

/**
 * A Python error in the scratchpad script's own code: the last frame is the script's, and the
 * error is one of writing code (syntax, a name), not a library refusing a call the script made.
 */
function scratchpadOwnError(error: string): boolean {
  const frames = [...error.matchAll(/^\s*File "([^"]*)", line \d+/gm)];
  const lastFrame = frames[frames.length - 1]?.[1] ?? '';
  return /[\\/]scratchpad[\\/]/.test(lastFrame) && /^(?:SyntaxError|IndentationError|TabError|NameError|UnboundLocalError):/m.test(error);
}

/**
 * A remote service answering that it failed or is over its limits, in the words of the clients
 * that print it: git and curl ("The requested URL returned error: 503", "remote: Internal Server
 * Error"), gh ("HTTP 502: Bad Gateway", "API rate limit exceeded", GraphQL's "Something went
 * wrong"), docker ("toomanyrequests") and npm ("npm error 503 Service Unavailable"). The same
 * again is likely to work: nothing for a rule to say. (Claude Code's own API errors are read in toolError.)
 */
const SERVER_FAILED = /requested URL returned error: (?:5\d\d|429)\b|^remote: (?:Internal Server Error|Service Unavailable)|^HTTP (?:5\d\d|429)\b|\b(?:API|secondary) rate limit exceeded|^GraphQL: Something went wrong while executing your query|\btoomanyrequests:|\b(?:502 Bad Gateway|503 Service (?:Temporarily )?Unavailable|504 Gateway Time-?out)\b/im;
/**
 * Python's and Node's errors of reading data by a key, position or type it does not have; a
 * KeyError of an environment variable's name is a setting missing, not a shape.
 */
const DATA_SHAPE = /^(?:KeyError: (?!'[A-Z][A-Z0-9_]+'$)|json\.decoder\.JSONDecodeError: |TypeError: (?:string|list) indices must be integers|TypeError: '\w+' object is not (?:subscriptable|iterable)|IndexError: list index out of range|AttributeError: '(?:str|list|dict|NoneType|int)' object has no attribute '(?:get|keys|items|values)'|TypeError: (?:Cannot read properties of (?:undefined|null)|\S+ is not iterable))/m;

/** A script written for one look at some data: inline (`python3 -c`, `python3 - <<EOF`, `node -e`) or in a temp folder. */
function oneOffScript(cmd: ShellCommand): boolean {
  const python = /^python[\d.]*$/.test(cmd.program);
  if (python && (cmd.args.length === 0 || cmd.args[0] === '-c' || cmd.args[0] === '-')) return true;
  if (!python && /^(?:node|bun|deno)$/.test(cmd.program) && ['-e', '-p', '--eval', '--print', 'eval'].includes(cmd.args[0] ?? '')) return true;
  if (!python && !/^(?:node|bun|deno)$/.test(cmd.program)) return false;
  const script = cmd.args[0];
  return !!script && /^(?:\/private)?\/tmp\/|[\\/]scratchpad[\\/]/.test(script);
}

/**
 * The error was raised in a file of the project (the innermost frame that is not a library's: the
 * Python standard library, site-packages, node_modules, Node's own), not in the one-off code.
 */
function projectFrame(text: string): boolean {
  const library = /[\\/]lib(?:64)?[\\/]python[\d.]+[\\/]|[\\/]Lib[\\/]|site-packages|[\\/]node_modules[\\/]|^node:/;
  const python = [...text.matchAll(/^\s*File "([^"]+)", line \d+/gm)].map((m) => m[1]!).filter((f) => !library.test(f));
  const node = [...text.matchAll(/^\s+at (?:[^\n(]*\()?([^\n()]+?):\d+:\d+\)?$/gm)].map((m) => m[1]!).filter((f) => !library.test(f));
  const innermost = python.length ? python[python.length - 1] : node[0];
  return !!innermost && !/^<(?:string|stdin)>$|^\[eval\]|^(?:file:\/\/)?(?:\/private)?\/tmp\/|[\\/]scratchpad[\\/]/.test(innermost);
}

/** Clients of public services (a forge, a registry): their 5xx is the service's. curl, scripts and deploys may be talking to the app under work. */
const SERVICE_CLIENTS = new Set(['git', 'gh', 'glab', 'npm', 'pnpm', 'yarn', 'bun', 'pip', 'pip3', 'uv', 'poetry', 'cargo', 'go', 'brew', 'apt', 'apt-get', 'gem', 'bundle', 'composer', 'helm']);
/** A command talking to a forge or a registry; docker only when it pulls, pushes or logs in (`docker compose exec web curl` is the app's). */
function talksToService(cmd: ShellCommand): boolean {
  if (cmd.program === 'docker' || cmd.program === 'podman') return ['pull', 'push', 'login', 'build', 'buildx', 'search', 'manifest'].includes(cmd.args[0] ?? '');
  return SERVICE_CLIENTS.has(cmd.program);
}
/** An address of this machine: a server there is the app under work, not a service. */
const LOCAL_ADDRESS = /\b(?:localhost|127\.0\.0\.1|0\.0\.0\.0)\b|\[::1\]/;

/** A TLS handshake broken off (Windows' schannel, GnuTLS, OpenSSL), in git's and curl's words. */
const TLS_BROKEN = /schannel: failed to receive handshake|SSL\/TLS connection failed|gnutls_handshake\(\) failed|OpenSSL SSL_connect: SSL_ERROR_SYSCALL|SSL_ERROR_SYSCALL in connection to|TLS connection was non-properly terminated/i;

/** Arguments a tool's own schema refused (FastMCP's "validation error for call[tool]"), or a value over a length the API sets. */
const ARGUMENT_REFUSED = /\d+ validation errors? for call\[|exceeds? (?:the )?max(?:imum)?(?: length)?(?: of)? \d+ characters/i;

/** The cause of a failed call; `noise` is set when it is not the agent's mistake to learn from. */
export function causeOf(call: FailedCall): Cause {
  const error = withoutShellNoise(call.error);
  return causeOfOutput(error === call.error ? call : { ...call, error });
}

function causeOfOutput(call: FailedCall): Cause {
  const ls = lines(call.error);
  const first = messageLine(ls);
  const exit = exitCodeOf(call.error);
  if (call.interrupted) return make('interrupted', 'interrupt', first, exit, { kind: 'interrupted', why: 'the person interrupted the call' });
  // A gate stage, a breaker or a task reports text, not a call: its words and its name are all there is.
  if (/^(gate|breaker|task):/.test(call.tool)) return make(categorise(call.error), call.tool, first, exit);
  // File inputs are hidden behind styled buttons: clicking one waits for visibility that never comes.
  if (/locator resolved to <input[^>]*type="file"/i.test(call.error) && /Timeout \d+ms exceeded|TimeoutError/i.test(call.error)) return make('input validation', 'hidden file input', first, exit);
  if (/^mcp__/.test(call.tool) && /timed? ?out|not displayed|not connected|disconnected|ECONNREFUSED/i.test(call.error)) {
    return make('timeout', call.tool, first, exit, { kind: 'transient', why: 'the MCP server or what it drives did not answer' });
  }
  const known = toolError(call.tool, call.error, first, call.target, call.rewrittenByOwnCommand === true);
  if (known) return known;
  // WebFetch asks claude.ai whether a domain is safe first; that check failing says nothing of the call.
  if (/^Web/.test(call.tool) && /Unable to verify if domain \S+ is safe to fetch/i.test(call.error)) {
    return make('network', 'domain check', first, exit, { kind: 'transient', why: "Claude Code could not check the domain (its network or a policy), not the agent's call" });
  }
  const server = /^mcp__(.+?)__/.exec(call.tool)?.[1];
  // Arguments the tool's schema refused are the agent's call, even against the project's own server.
  if (server && ARGUMENT_REFUSED.test(call.error)) return make('input validation', /max(?:imum)?(?: length)?(?: of)? \d+ characters/i.test(call.error) ? `${call.tool} too long` : call.tool, first, exit);
  if (server && call.cwd && ownServer(server, call.cwd)) {
    return make('other', call.tool, first, exit, { kind: 'task-expected', why: `the project is the ${server} MCP server: its tools failing while it is built and tried is the work` });
  }
  const shell = isShellTool(call.tool);
  // PowerShell's line: its programs are looked up in lower case, as PowerShell reads them.
  const ps = call.tool === 'PowerShell';
  // A script of an installed plugin named like the checkout: the plugin is what is being built.
  const plugin = shell && call.target ? /[\\/]\.claude[\\/]plugins[\\/](?:cache[\\/][^\\/\s]+[\\/])?([^\\/\s]+)[\\/]/.exec(call.target)?.[1] : undefined;
  if (plugin && call.cwd && ownServer(plugin, call.cwd)) {
    return make('other', `plugin ${plugin}`, first, exit, { kind: 'task-expected', why: `the project is the ${plugin} plugin: its scripts failing while it is built and tried is the work` });
  }
  if (shell && call.target) {
    const cmds = withDevEnv(shellCommands(call.target)).map((c) => (ps ? { ...c, program: psName(c.program) } : c));
    // The project's own command crashing while it is built is the work being tried, as a red test run is.
    const own = call.cwd ? ownCommandRun(cmds, call.cwd) : undefined;
    if (own && /^Traceback \(most recent call last\)|^(?:Uncaught )?\w*(?:Error|Exception):/m.test(call.error)) {
      return make('runtime error', own, first, exit, { kind: 'test-run', why: `running the project's own command (${own}) while it is built is trying the work` });
    }
    // A throwaway script the agent wrote in Claude Code's scratchpad, failing in its own code as it is written.
    if (/[\\/]scratchpad(?:[\\/]|\s|$)/.test(call.target) && scratchpadOwnError(call.error)) {
      return make('runtime error', 'scratchpad script', first, exit, { kind: 'test-run', why: 'a script the agent is writing in its scratchpad failing in its own code is that work under way' });
    }
    if (call.tool === 'Bash' && slashOptionsMangled(cmds, call.target, call.error, FILTERS)) return make('usage error', 'msys slash options', first, exit);
    if (ps && bashInPowerShell(cmds, call.error)) return make('syntax error', 'bash in powershell', first, exit);
    return shellError(cmds, call.target, call.error, ls, first, exit, ps);
  }
  if (shell) return shellError([], '', call.error, ls, first, exit, ps);
  if (/exceeded your (?:credits?|quota)|insufficient (?:credits?|quota|balance)|\b402\b.*(?:Payment Required|credits?)|rate limit(?:ed| exceeded)|\b429\b.*Too Many Requests|status code 429\b/i.test(call.error)) {
    return make('other', `${call.tool} limit`, first, exit, { kind: 'transient', why: 'the service refused for its own limits (credits, rate): not the agent\'s call' });
  }
  // A page of this machine that does not answer: the agent took a dev server for running.
  if (/^Web/.test(call.tool) && /ECONNREFUSED|Connection refused/i.test(call.error) && /^https?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::\d+)?(?:\/|$)/i.test(call.target ?? '')) {
    return make('network', 'local server', first, exit);
  }
  // A site whose certificate does not name its host, or has expired: the site's setup, not the call.
  if (/^Web/.test(call.tool) && /Hostname\/IP does not match certificate's altnames|ERR_TLS_CERT_ALTNAME_INVALID|certificate has expired|CERT_HAS_EXPIRED/i.test(call.error)) {
    return make('network', 'certificate', first, exit, { kind: 'transient', why: "the site's certificate does not cover it: the site's setup, not the agent's call" });
  }
  // WebFetch's HTTP client giving up ("timeout of 60000ms exceeded"): the page did not answer in time.
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|fetch failed|socket hang up|status code 5\d\d|\b5\d\d\b.*(Server Error|Bad Gateway|Unavailable)|^timeout of \d+ms exceeded/im.test(call.error)) {
    return make('network', call.tool, first, exit, { kind: 'transient', why: 'the network or the server failed, not the agent' });
  }
  if (/status code 404|\b404\b|Not Found/i.test(call.error) && /^Web/.test(call.tool)) return make('file not found', 'url', first, exit);
  return make('other', call.tool, first, exit);
}

/** The key an incident is stored under: an unknown cause is only the same mistake as the same error, so its fingerprint. */
export function incidentKeyOf(cause: Cause, fingerprint: string): string {
  return cause.category === 'other' ? `other:${fingerprint}` : cause.key;
}
