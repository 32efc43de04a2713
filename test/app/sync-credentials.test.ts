import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sync } from '../../src/app/sync.js';
import { credentialInput, parseCredential, syncAuth, type Credential, type CredentialAction } from '../../src/app/sync-credentials.js';
import { openWorkspace } from '../../src/workspace/workspace.js';
import { startGitHttpServer, type GitHttpServer } from '../helpers/git-http-server.js';
import { freshWorkspace, scratch } from '../helpers/workspace.js';

describe("git's credential protocol", () => {
  it('asks for the URL by protocol, host with port, and path; reads the answer back', () => {
    expect(credentialInput('https://git.example.com:8443/acme/rules.git')).toBe('protocol=https\nhost=git.example.com:8443\npath=acme/rules.git\n\n');
    expect(credentialInput('http://127.0.0.1/t.git', { username: 'u', password: 'p=q' })).toBe('protocol=http\nhost=127.0.0.1\npath=t.git\nusername=u\npassword=p=q\n\n');
    expect(parseCredential('protocol=https\nhost=h\nusername=bob\npassword=p=q\n')).toEqual({ username: 'bob', password: 'p=q' });
    expect(parseCredential('protocol=https\nhost=h\n')).toBeNull();
    expect(parseCredential('password=tok\n')).toEqual({ username: 'x-access-token', password: 'tok' });
  });

  it("takes the environment's token first, asks git's helpers once otherwise, approves what worked once and rejects what was refused", async () => {
    const calls: [CredentialAction, string][] = [];
    const held: Credential = { username: 'bob', password: 'from-helper' };
    const command = async (action: CredentialAction, url: string) => {
      calls.push([action, url]);
      return action === 'fill' ? held : null;
    };
    const url = 'https://example.com/t.git';
    process.env.NEVO_TEST_CRED = 'from-env';
    try {
      const env = syncAuth('NEVO_TEST_CRED', command);
      expect(await env.onAuth(url)).toEqual({ username: 'x-access-token', password: 'from-env' });
      await env.onAuthSuccess(url, {});
      expect(await env.onAuthFailure(url, {})).toEqual({ cancel: true });
      expect(calls).toEqual([]);
    } finally {
      delete process.env.NEVO_TEST_CRED;
    }
    const helper = syncAuth('NEVO_TEST_CRED', command);
    expect(await helper.onAuth(url)).toEqual(held);
    expect(await helper.onAuth(url)).toEqual(held);
    await helper.onAuthSuccess(url, {});
    await helper.onAuthSuccess(url, {});
    expect(calls).toEqual([['fill', url], ['approve', url]]);
    expect(await helper.onAuthFailure(url, {})).toEqual({ cancel: true });
    expect(calls.at(-1)).toEqual(['reject', url]);
    expect(helper.source.used).toBe('helper');
    const none = syncAuth('', async () => null);
    expect(await none.onAuth(url)).toEqual({ cancel: true });
  });
});

describe("a sync with the credentials git's own helper holds (a real `git credential` and a real remote)", () => {
  const servers: GitHttpServer[] = [];
  const saved = { global: process.env.GIT_CONFIG_GLOBAL, nosystem: process.env.GIT_CONFIG_NOSYSTEM };
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const [k, v] of [['GIT_CONFIG_GLOBAL', saved.global], ['GIT_CONFIG_NOSYSTEM', saved.nosystem]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  /** A person's git set up with the `store` helper holding `token` for the server. */
  function gitWithStoredToken(url: string, token: string | null): string {
    const dir = scratch('nevo-cred-');
    const store = join(dir, 'credentials');
    writeFileSync(store, token ? `${url.replace('http://', `http://x-access-token:${token}@`).replace(/\/team\.git$/, '')}\n` : '');
    const config = join(dir, 'gitconfig');
    execFileSync('git', ['config', '--file', config, 'credential.helper', `store --file=${store}`]);
    process.env.GIT_CONFIG_GLOBAL = config;
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    return store;
  }

  async function member(url: string) {
    const base = await freshWorkspace();
    const file = join(base.root, 'config.json');
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...raw, sync: { remote: url, member: 'alice', tokenEnv: '' } }, null, 2));
    return openWorkspace(base.root);
  }

  it('pushes with the stored token and names no variable; a refused one is taken out of the helper and the error says how to store another', async () => {
    const srv = await startGitHttpServer(scratch('nevo-git-'), { token: 's3cret-token' });
    servers.push(srv);
    srv.repo('team.git');
    const url = srv.url('team.git');
    const ws = await member(url);

    gitWithStoredToken(url, 's3cret-token');
    expect((await sync(ws)).pushed).toBe(true);

    const store = gitWithStoredToken(url, 'stale-token');
    const before = execFileSync('git', ['-C', ws.root, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
    await expect(sync(ws)).rejects.toThrow(/refused the credentials.*the token git's credential helper gave for it was refused \(and taken out of the helper\).*Nothing was changed/s);
    expect(readFileSync(store, 'utf8')).not.toContain('stale-token');
    expect(execFileSync('git', ['-C', ws.root, 'rev-parse', 'HEAD'], { encoding: 'utf8' })).toBe(before);

    gitWithStoredToken(url, null);
    await expect(sync(ws)).rejects.toThrow(/put a token in an environment variable and name the variable in config\.json \(sync\.tokenEnv\), or store one for this URL with git/s);
  });
});
