import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

describe('nevo-tui analyze with an external analyst', () => {
  it('stores a valid answer, and leaves the incident unanalyzed when the command fails', async () => {
    const ws = await freshWorkspace();
    const dir = scratch();
    const good = join(dir, 'good.mjs');
    const answer = {
      what: 'npm test failed: missing script',
      why: 'The agent assumed a test script the project does not define.',
      seenBefore: false,
      decision: {
        action: 'propose',
        rule: {
          title: 'Use the test script the project defines',
          body: 'Run the tests with the script package.json defines; this project has no npm test script.',
          scope: 'project',
          trigger: 'Before running tests',
          enforcement: 'Read package.json scripts first',
          verification: 'No missing script failures',
        },
      },
    };
    // A stand-in for `claude -p --output-format json`: records its prompt, answers in the same envelope.
    writeFileSync(
      good,
      [
        "import { writeFileSync } from 'node:fs';",
        "let input = '';",
        "process.stdin.on('data', (d) => (input += d)).on('end', () => {",
        `  writeFileSync(${JSON.stringify(join(dir, 'prompt.txt'))}, input);`,
        `  console.log(JSON.stringify({ type: 'result', result: ${JSON.stringify(JSON.stringify(answer))}, usage: { input_tokens: 1200, output_tokens: 150 } }));`,
        '});',
      ].join('\n'),
    );
    const config = JSON.parse(readFileSync(ws.layout.config, 'utf8'));
    config.analyst.command = `node ${good}`;
    config.analyst.auto = false;
    writeFileSync(ws.layout.config, JSON.stringify(config));
    cli(['report', '--signal', 'task', '--name', 'tests', '--error', 'Exit code 1\nnpm ERR! missing script: test'], { cwd: ws.project });
    const r = cli(['analyze', '--json'], { cwd: ws.project });
    expect(r.code, r.stderr).toBe(0);
    const [outcome] = JSON.parse(r.stdout).outcomes;
    expect(outcome).toMatchObject({ analyst: 'external', decision: 'propose', rule: 'PROJ-001' });
    expect(readFileSync(join(dir, 'prompt.txt'), 'utf8')).toContain('missing script: test');
    const ledger = (await ws.store.read('ledger')).records;
    expect(ledger).toEqual([expect.objectContaining({ ok: true, tokensIn: 1200, tokensOut: 150, kind: 'analyst' })]);

    config.analyst.command = 'node -e "process.exit(3)"';
    writeFileSync(ws.layout.config, JSON.stringify(config));
    cli(['report', '--signal', 'task', '--name', 'deploy', '--error', 'Task stuck: no progress for 30 minutes'], { cwd: ws.project });
    const failed = cli(['analyze', '--json'], { cwd: ws.project });
    expect(failed.code).toBe(1);
    const out = JSON.parse(failed.stdout).outcomes[0];
    expect(out.error).toMatch(/exit/i);
    const incidents = (await ws.store.read('incidents')).records;
    expect(incidents.find((i) => i.id === out.incident)).toMatchObject({ status: 'new' });
    expect(incidents.find((i) => i.id === out.incident)?.analysis).toBeUndefined();
    expect((await ws.store.read('ledger')).records).toHaveLength(2);
  });
});
