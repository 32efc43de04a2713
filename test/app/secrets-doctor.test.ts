import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dropBackups, purgeSecrets, scanSecrets } from '../../src/app/secrets-doctor.js';
import { freshWorkspace } from '../helpers/workspace.js';

// A Stripe key written by a version that did not redact it, committed for good.
const SECRET = 'sk_live_51Hx9QeLk2v8Rr0ZtYb4NpWd7';

/** Every git object of the workspace, inflated, as text. */
function objectsText(root: string): string {
  const objects = join(root, '.git', 'objects');
  let out = '';
  for (const d of readdirSync(objects).filter((x) => /^[0-9a-f]{2}$/.test(x))) for (const f of readdirSync(join(objects, d))) out += inflateSync(readFileSync(join(objects, d, f))).toString('latin1');
  return out;
}

describe('doctor --secrets', () => {
  it('finds a secret in the files and the history by file, commit and kind, never the value; a purge rewrites it away', async () => {
    const ws = await freshWorkspace();
    const rel = 'journal/raw/2026-12-01-old.jsonl';
    mkdirSync(join(ws.root, 'journal/raw'), { recursive: true });
    writeFileSync(join(ws.root, rel), `{"time":"2026-12-01T10:00:00Z","detail":"curl -u ${SECRET}: https://api.stripe.com/v1/charges"}\n`);
    await ws.history.commit([rel], 'journal: an old line');
    expect(objectsText(ws.root)).toContain(SECRET);

    const scan = await scanSecrets(ws);
    expect(JSON.stringify(scan)).not.toContain(SECRET);
    expect(scan.findings).toEqual(
      expect.arrayContaining([
        { where: 'file', file: rel, line: 1, kinds: ['authorization'] },
        expect.objectContaining({ where: 'history', file: rel, line: 1, kinds: ['authorization'], commit: expect.stringMatching(/^[0-9a-f]{40}$/) }),
      ]),
    );

    const dry = await purgeSecrets(ws, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, commitsRewritten: 1, files: [rel] });
    expect(readFileSync(join(ws.root, rel), 'utf8')).toContain(SECRET);

    const done = await purgeSecrets(ws, { dryRun: false });
    expect(done.backup).toMatch(/^refs\/nevo\/backup\//);
    expect(readFileSync(join(ws.root, rel), 'utf8')).toContain('curl -u [REDACTED:authorization]: https://api.stripe.com');
    // The backup still holds it, and says so; dropping it deletes the objects.
    const after = await scanSecrets(ws);
    expect(after.findings.filter((f) => f.where === 'file')).toEqual([]);
    expect(after.backups).toEqual([done.backup]);
    const dropped = await dropBackups(ws);
    expect(dropped.objectsDeleted).toBeGreaterThan(0);
    expect((await scanSecrets(ws)).findings).toEqual([]);
    expect(objectsText(ws.root)).not.toContain(SECRET);
    // The workspace still works: a commit on the rewritten branch.
    expect(await ws.history.log()).not.toHaveLength(0);
  });
});
