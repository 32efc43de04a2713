import { describe, expect, it } from 'vitest';
import { REDACTION_KINDS, redactString, redactValue } from '../../src/redact/redact.js';
import { ORDINARY_TEXTS, SAMPLE, SECRET_CASES, type SecretCase } from '../fixtures/secrets.js';

/** The kinds named by the markers in a text. */
function markerKinds(text: string): string[] {
  return [...text.matchAll(/\[REDACTED:([a-z-]+)\]/g)].map((m) => m[1]!);
}

/** The first piece of `secret` (12 characters, or all of a shorter one) still in `text`, or null. */
function leak(text: string, secret: string): string | null {
  if (secret.length < 12) return text.includes(secret) ? secret : null;
  for (let i = 0; i + 12 <= secret.length; i++) {
    const piece = secret.slice(i, i + 12);
    if (text.includes(piece)) return piece;
  }
  return null;
}

const ALL_CASES: Array<SecretCase & { kind: string }> = Object.entries(SECRET_CASES).flatMap(([kind, cases]) =>
  cases.map((c) => ({ ...c, kind })),
);

describe('redactString on the secrets corpus', () => {
  it('has at least three examples of every kind, and only known kinds', () => {
    const patternKinds = REDACTION_KINDS.filter((k) => k !== 'field');
    expect(Object.keys(SECRET_CASES).sort()).toEqual([...patternKinds].sort());
    for (const [kind, cases] of Object.entries(SECRET_CASES)) expect(cases.length, kind).toBeGreaterThanOrEqual(3);
  });

  it.each(ALL_CASES.map((c) => [c.kind, c.name, c] as const))('%s: %s', (kind, _name, { text, secrets }) => {
    // The corpus itself must hold what it claims to.
    for (const secret of secrets) expect(text).toContain(secret);
    const out = redactString(text);
    for (const secret of secrets) expect(leak(out, secret), `in:\n${out}`).toBeNull();
    expect(new Set(markerKinds(out)), out).toEqual(new Set([kind]));
  });

  it('is idempotent', () => {
    for (const { text } of ALL_CASES) {
      const once = redactString(text);
      expect(redactString(once)).toBe(once);
    }
  });
});

describe('redactString on ordinary text', () => {
  it.each(ORDINARY_TEXTS.map((t) => [t.name, t.text] as const))('leaves %s unchanged', (_name, text) => {
    expect(redactString(text)).toBe(text);
  });
});

describe('what redactString keeps', () => {
  it('keeps the key, the quotes and the rest of the line', () => {
    expect(redactString('export DB_PASSWORD=hunter2 && make')).toBe('export DB_PASSWORD=[REDACTED:assignment] && make');
    expect(redactString('API_TOKEN="abc123def"')).toBe('API_TOKEN="[REDACTED:assignment]"');
    expect(redactString('{"password": "hunter2", "user": "bob"}')).toBe('{"password": "[REDACTED:assignment]", "user": "bob"}');
    expect(redactString('  password: hunter2\n  user: bob')).toBe('  password: [REDACTED:assignment]\n  user: bob');
    expect(redactString('GET /v1/items?token=abc123&page=2')).toBe('GET /v1/items?token=[REDACTED:assignment]&page=2');
  });

  it('keeps the header name and the scheme', () => {
    expect(redactString("curl -H 'Authorization: Bearer abc123xyz' https://api.example.com")).toBe(
      "curl -H 'Authorization: Bearer [REDACTED:authorization]' https://api.example.com",
    );
    expect(redactString('"Authorization": "Basic dXNlcjpwYXNz"')).toBe('"Authorization": "Basic [REDACTED:authorization]"');
    expect(redactString('curl -H "Cookie: sid=abc; theme=dark" https://x.example')).toBe(
      'curl -H "Cookie: [REDACTED:authorization]" https://x.example',
    );
  });

  it('keeps the scheme, the user and the host of a URL', () => {
    expect(redactString('postgres://app:S3cret@db.internal:5432/app')).toBe('postgres://app:[REDACTED:url-credentials]@db.internal:5432/app');
  });

  it('keeps the webhook host, and what surrounds a token', () => {
    expect(redactString(`token ${SAMPLE.ghp} expired`)).toBe('token [REDACTED:github] expired');
    expect(redactString(`POST https://hooks.slack.com/services/${SAMPLE.slackHookPath}`)).toBe('POST https://hooks.slack.com/services/[REDACTED:slack]');
  });

  it('replaces a private key block whole, and one cut short to the end', () => {
    const key = SAMPLE.rsaKey;
    expect(redactString(`before\n${key}\nafter`)).toBe('before\n[REDACTED:private-key]\nafter');
    expect(redactString(`before\n${key.slice(0, 500)}`)).toBe('before\n[REDACTED:private-key]');
  });

  it('knows xAI, Replicate and Tavily keys by their format alone, wherever they are printed', () => {
    // The values of test/fixtures/secrets/formats.json, bare: what `echo $XAI_API_KEY` or a traceback prints.
    const xai = 'xai-2hQItYyaEYpg4YhgZ15Lj1QUrCa02JHJxap189v70BqVzvTM6YoDjKsYZTn9sHeiQRyBsLvVLtj1ETnj';
    const replicate = 'r8_BMtIciOvfQpunytWvhutlCsDzTSUfDxWVFB6Z';
    const tavily = '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';
    expect(redactString(`$ echo $XAI_API_KEY\n${xai}\n`)).toBe('$ echo $XAI_API_KEY\n[REDACTED:xai]\n');
    expect(redactString(`client = replicate.Client("${replicate}")`)).toBe('client = replicate.Client("[REDACTED:replicate]")');
    expect(redactString(`TavilyClient(${tavily})`)).toBe('TavilyClient([REDACTED:tavily])');
    expect(redactString(`tvly-dev-${tavily.slice(5)} is the key`)).toBe('[REDACTED:tavily] is the key');
    // Words that only start like them stay.
    for (const text of ['the xai-sdk package', 'r8_fallback_mode', 'tvly-search results']) expect(redactString(text)).toBe(text);
  });

  it('knows the keys of more services an agent is given by their format alone', () => {
    // Random bodies in each service's documented format, as `env` or a config dump prints them.
    const keys: Record<string, string> = {
      groq: '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',
      elevenlabs: 'sk_87be3111842502cb43188764b84d46b6bb0bd46e1fcc2f78',
      notion: 'ntn_LNJlkToH0G9IQFqbqBDAHeD9TJNUcf8slJRxueFtuDHTNQ',
      pinecone: 'pcsk_WyhfH_jgFQAKTSg9gj455iuFJd5oBLuwsxZCNpqbmOSA26GYUv2HMGpTf8Pq97oqkz',
      neon: 'napi_6fmd91ap4gh78r1v3yym2fn97kfluzny6v5yqe6olek16vx2j5toaisny8kaoakc',
      netlify: 'nfp_ttZEmbHeJQz5SKNEskpUiCeiVAtZJXeUKUWt',
      render: 'rnd_ZRiSHCTaXKGeHTYXZqZPs7vMhZ0nxCLE',
      figma: 'figd_tjwCaQnYmYsfFIXf8N8aMTecAHesH8NrqRR0mEFf',
    };
    for (const [kind, key] of Object.entries(keys)) expect(redactString(`token in use: ${key}\n`), kind).toBe(`token in use: [REDACTED:${kind}]\n`);
    expect(redactString('secret_ni1h1fInfgw9mq2U4e2751hCrFlC7A00CbGgDVNaww5')).toBe('[REDACTED:notion]');
    // Names that only start like them stay.
    for (const text of ['secret_key_base is set', 'gsk_config', 'rnd_seed = 42', 'sk_live_mode', 'napi_module_register']) expect(redactString(text)).toBe(text);
  });

  it("redacts sshpass's password, given apart or attached to -p", () => {
    expect(redactString('sshpass -p "Xk29fjq2Lp" ssh deploy@10.0.0.5 uptime')).toBe('sshpass -p "[REDACTED:assignment]" ssh deploy@10.0.0.5 uptime');
    expect(redactString('sshpass -pXk29fjq2Lp scp a.txt deploy@host:')).toBe('sshpass -p[REDACTED:assignment] scp a.txt deploy@host:');
    // -p of another program stays: mkdir, git add, docker run's port.
    for (const text of ['mkdir -p build/out', 'git add -p src', 'docker run -p 8080:80 nginx']) expect(redactString(text)).toBe(text);
  });

  it('gives a token its own kind, not that of the key or header around it', () => {
    expect(redactString(`GITHUB_TOKEN=${SAMPLE.ghp}`)).toBe('GITHUB_TOKEN=[REDACTED:github]');
    expect(redactString(`Authorization: Bearer ${SAMPLE.jwt1}`)).toBe('Authorization: Bearer [REDACTED:jwt]');
    expect(redactString(`ANTHROPIC_API_KEY=${SAMPLE.anthropicKey}`)).toBe('ANTHROPIC_API_KEY=[REDACTED:anthropic]');
  });

  it('redacts secrets anywhere in a 1 MB string', () => {
    const filler = 'const tokenizer = createTokenizer({ maxTokens: 4096 }); // password rules below\n'.repeat(4200);
    const text = `${SAMPLE.awsKeyId}\n${filler}export DB_PASSWORD=${SAMPLE.dbPassword}\n${filler}Authorization: Bearer ${SAMPLE.bearerToken}`;
    expect(text.length).toBeGreaterThan(600_000);
    const out = redactString(text);
    expect(markerKinds(out)).toEqual(['aws', 'assignment', 'authorization']);
    expect(out).toBe(
      text
        .replace(SAMPLE.awsKeyId, '[REDACTED:aws]')
        .replace(SAMPLE.dbPassword, '[REDACTED:assignment]')
        .replace(SAMPLE.bearerToken, '[REDACTED:authorization]'),
    );
  });
});

describe('redactValue', () => {
  const payload = {
    session_id: '3f2b9c1e-8d4a-4e6f-9b2a-7c5d1e0f3a4b',
    hook_event_name: 'PostToolUse',
    tool_name: 'Bash',
    tool_input: {
      command: `GITHUB_TOKEN=${SAMPLE.ghp} gh release create v1.2.0`,
      env: { GITHUB_TOKEN: SAMPLE.ghp, DB_PASSWORD: 'hunter2', NODE_ENV: 'production', 'x-api-key': 'k-123' },
      timeout: 120000,
    },
    tool_response: {
      stdout: `Authorization: Bearer ${SAMPLE.bearerToken}\nok`,
      stderr: '',
      interrupted: false,
      exit_code: null,
    },
    history: [`slack ${SAMPLE.xoxb}`, 42, true, null, [{ apiKey: 'abc', note: 'plain' }]],
  };

  it('redacts every string in a deep copy, and replaces secret-named fields whole', () => {
    const out = redactValue(payload);
    expect(out).toEqual({
      session_id: '3f2b9c1e-8d4a-4e6f-9b2a-7c5d1e0f3a4b',
      hook_event_name: 'PostToolUse',
      tool_name: 'Bash',
      tool_input: {
        command: 'GITHUB_TOKEN=[REDACTED:github] gh release create v1.2.0',
        env: { GITHUB_TOKEN: '[REDACTED:field]', DB_PASSWORD: '[REDACTED:field]', NODE_ENV: 'production', 'x-api-key': '[REDACTED:field]' },
        timeout: 120000,
      },
      tool_response: {
        stdout: 'Authorization: Bearer [REDACTED:authorization]\nok',
        stderr: '',
        interrupted: false,
        exit_code: null,
      },
      history: ['slack [REDACTED:slack]', 42, true, null, [{ apiKey: '[REDACTED:field]', note: 'plain' }]],
    });
  });

  it('does not touch its input', () => {
    const before = JSON.stringify(payload);
    const out = redactValue(payload);
    expect(JSON.stringify(payload)).toBe(before);
    expect(out.tool_input).not.toBe(payload.tool_input);
    expect(out.history).not.toBe(payload.history);
  });

  it('matches secret key names by how they end, case-insensitively', () => {
    const secretKeys = [
      'password', 'passwd', 'pwd', 'secret', 'token', 'api_key', 'apikey', 'api-key', 'access_key', 'private_key',
      'client_secret', 'auth', 'authorization', 'Authorization', 'Proxy-Authorization', 'credentials', 'cookie',
      'Set-Cookie', 'session_token', 'GITHUB_TOKEN', 'DB_PASSWORD', 'x-api-key', 'accessToken', 'secretKey',
      'AWS_SECRET_ACCESS_KEY', 'passphrase', 'GH_PAT',
    ];
    const plainKeys = [
      'tokenizer', 'max_tokens', 'input_tokens', 'token_count', 'tokenType', 'password_hash', 'author', 'session_id',
      'cwd', 'transcript_path', 'secret_name', 'keyboard', 'monkey', 'public_key', 'primary_key', 'passport', 'compat',
    ];
    const out = redactValue(Object.fromEntries([...secretKeys, ...plainKeys].map((k) => [k, 'plain value'])));
    for (const k of secretKeys) expect(out[k], k).toBe('[REDACTED:field]');
    for (const k of plainKeys) expect(out[k], k).toBe('plain value');
  });

  it('redacts everything under a secret key, numbers, lists and objects included; keeps empty values', () => {
    expect(redactValue({ token: 42, password: null, secret: true, auth: '', credentials: { username: 'bob', password: 'x' }, api_key: ['k1', 'k2'] })).toEqual({
      token: '[REDACTED:field]',
      password: null,
      secret: true,
      auth: '',
      credentials: { username: '[REDACTED:field]', password: '[REDACTED:field]' },
      api_key: ['[REDACTED:field]', '[REDACTED:field]'],
    });
  });

  it('reads an argument list as a command line, and redacts tokens used as keys', () => {
    expect(redactValue({ args: ['login', '--password', 'Sup3rS3cret!', '-p', 'hunter2', '--verbose'] })).toEqual({
      args: ['login', '--password', '[REDACTED:assignment]', '-p', '[REDACTED:assignment]', '--verbose'],
    });
    const out = redactValue({ [SAMPLE.npmToken]: 'v' }) as Record<string, string>;
    expect(Object.keys(out)).toEqual(['[REDACTED:npm]']);
  });

  it('handles primitives and a "__proto__" key', () => {
    expect(redactValue(`key ${SAMPLE.npmToken}`)).toBe('key [REDACTED:npm]');
    expect(redactValue(7)).toBe(7);
    expect(redactValue(null)).toBe(null);
    const parsed = JSON.parse('{"__proto__": {"token": "abc"}, "a": 1}') as Record<string, unknown>;
    const out = redactValue(parsed);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ token: '[REDACTED:field]' });
  });
});
