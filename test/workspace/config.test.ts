import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig, syncMember } from '../../src/workspace/config.js';
import { cli } from '../helpers/cli.js';
import { freshWorkspace } from '../helpers/workspace.js';

describe('config.json validation', () => {
  it('names the field, the value and what is allowed', () => {
    expect(() => parseConfig({ history: { batchMinutes: -5 } }, 'config.json')).toThrow(/history\.batchMinutes is -5; expected a number >= 0/);
    expect(() => parseConfig({ lock: { timeoutMs: 'soon' } }, 'config.json')).toThrow(/lock\.timeoutMs is "soon"; expected a value of type number/);
    expect(() => parseConfig({ author: { email: 'nobody' } }, 'config.json')).toThrow(/author\.email is "nobody"/);
    expect(() => parseConfig({ histroy: {} }, 'config.json')).toThrow(/unknown field "histroy"; remove it or check its spelling/);
  });

  it('fills defaults for fields a config leaves out', () => {
    expect(parseConfig({}, 'config.json').history.batchRecords).toBe(10000);
  });

  it('has no team remote by default, a member name made from the author, and never a credential in the URL', () => {
    const config = parseConfig({ author: { email: 'ada.l@example.org' } }, 'config.json');
    expect(config.sync).toEqual({ remote: '', member: '', tokenEnv: '', share: { skills: true, incidents: true, facts: true } });
    expect(syncMember(config)).toBe('ada.l-example.org');
    expect(syncMember(parseConfig({ sync: { member: 'ada' } }, 'config.json'))).toBe('ada');
    expect(() => parseConfig({ sync: { remote: 'git@github.com:acme/rules.git' } }, 'config.json')).toThrow(/sync\.remote.*an http\(s\) URL/s);
    expect(() => parseConfig({ sync: { remote: 'https://me:tok@github.com/acme/rules.git' } }, 'config.json')).toThrow(/without a user or token/);
    expect(() => parseConfig({ sync: { tokenEnv: 'ghp_abc def' } }, 'config.json')).toThrow(/sync\.tokenEnv.*environment variable name/s);
  });

  it('makes commands fail with exit 1 and the message, not a stack trace', async () => {
    const ws = await freshWorkspace();
    writeFileSync(ws.layout.config, JSON.stringify({ version: 1, lock: { staleMs: 10 } }));
    const r = cli(['status'], { cwd: ws.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('config.json: invalid configuration');
    expect(r.stderr).toContain('lock.staleMs is 10; expected a number >= 2000');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('points at the line of a JSON syntax error', async () => {
    const ws = await freshWorkspace();
    writeFileSync(ws.layout.config, '{\n  "version": 1,\n  oops\n}\n');
    const r = cli(['status'], { cwd: ws.project });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/config\.json: not valid JSON at line 3/);
  });
});
