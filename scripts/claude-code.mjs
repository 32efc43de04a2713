// The real Claude Code CLI for the end-to-end tests (test/real-client/, README "Tests with the real
// Claude Code"): installs the pinned version into node_modules/.cache/claude-code/ when it is not
// there yet, and prints where its executable is. Not a devDependency: it is about 400 MB with its
// native binary, wanted only by these tests, and `npm ci` should not fetch it for everyone.
//
//   node scripts/claude-code.mjs          install when missing, print the executable's path
//   node scripts/claude-code.mjs --json   the same as {"ok":true,"bin":...,"version":...} or {"ok":false,"reason":...}
//
// Exit 0 when the executable is ready; 1 (with the reason) when it cannot be installed, e.g. no registry.
// The package asks for Node >= 22 in its engines, but what runs is the native binary of its
// platform package, which does not use Node; npm's warning about it is expected.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLAUDE_CODE_VERSION = '2.1.332';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = join(root, 'node_modules', '.cache', 'claude-code');
const target = join(CACHE, CLAUDE_CODE_VERSION);

/** The executable inside an install folder, or null when it is not (completely) there. */
function executable(prefix) {
  const pkg = join(prefix, 'node_modules', '@anthropic-ai', 'claude-code');
  try {
    const meta = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    if (meta.version !== CLAUDE_CODE_VERSION) return null;
  } catch {
    return null;
  }
  const bin = join(prefix, 'node_modules', '.bin', process.platform === 'win32' ? 'claude.cmd' : 'claude');
  return existsSync(bin) ? bin : null;
}

/** Runs `claude --version`; the installed binary works when it names the pinned version. */
function works(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, DISABLE_AUTOUPDATER: '1' } });
  return r.status === 0 && String(r.stdout).includes(CLAUDE_CODE_VERSION) ? null : `\`claude --version\` failed: ${(r.stderr || r.stdout || r.error?.message || '').toString().trim().slice(0, 300)}`;
}

export function ensureClaudeCode({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  let bin = executable(target);
  if (!bin) {
    // Installed next to the target and renamed into place, so a test run that starts two installs at
    // once (or is killed half-way) never sees half a package.
    const work = `${target}.partial-${process.pid}`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    log(`nevo-tui: installing @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION} for the real-client tests (about 400 MB, once)...`);
    const r = spawnSync(
      'npm',
      ['install', '--prefix', work, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', '--engine-strict=false', `@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}`],
      { encoding: 'utf8', shell: process.platform === 'win32', timeout: 900_000 },
    );
    if (r.status !== 0 || !executable(work)) {
      rmSync(work, { recursive: true, force: true });
      const lines = `${r.stderr ?? ''}\n${r.error?.message ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
      const telling = lines.filter((l) => /\b(code|errno) E|request to |reason: /.test(l));
      const why = (telling.length ? telling : lines.slice(-3)).join(' | ').slice(0, 600);
      return { ok: false, reason: `npm could not install @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}: ${why || `exit ${r.status}`}` };
    }
    try {
      renameSync(work, target);
    } catch {
      // Another install finished first: use that one.
      rmSync(work, { recursive: true, force: true });
    }
    bin = executable(target);
    if (!bin) return { ok: false, reason: `the install of @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION} left no executable in ${target}` };
  }
  const broken = works(bin);
  if (broken) return { ok: false, reason: broken };
  return { ok: true, bin, version: CLAUDE_CODE_VERSION };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = ensureClaudeCode();
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(r)}\n`);
  else if (r.ok) process.stdout.write(`${r.bin}\n`);
  else process.stderr.write(`nevo-tui: ${r.reason}\n`);
  process.exit(r.ok ? 0 : 1);
}
