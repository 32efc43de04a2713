import { entropy, findSecrets } from './secrets.js';

const decodeURIComponentSafe = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * Secret redaction for hook payloads, before anything reaches disk.
 *
 * This module is on the hook's hot path: it compiles every regex once, at load, and gitleaks'
 * rules (secrets.ts) only when their keywords occur. Two kinds of pass run over a string:
 *
 * - token formats (private keys, AWS, GitHub, GitLab, Slack, npm, Anthropic, OpenAI, JWT),
 *   credentials in URLs and on command lines: each a regex tried only where a short literal
 *   "anchor" occurs (found with `indexOf`, far faster than a regex scan);
 * - key/value pairs (`DB_PASSWORD=...`, `"token": "..."`, `Authorization: Bearer ...`): one scan
 *   over the `=` and `:` characters, looking back for a key that names a secret and only then
 *   parsing the value.
 *
 * A 1 MB string of code or JSON takes a few milliseconds (about what JSON.parse takes on it), and
 * every pass stays linear on hostile input. Token formats run first, so a value keeps its most
 * telling kind; later passes leave values that are already redacted. Each secret becomes
 * `[REDACTED:<kind>]`; keys, header names, schemes, users and hosts, and quotes are kept.
 */

export const REDACTION_KINDS: readonly string[] = Object.freeze([
  'private-key',
  'aws',
  'github',
  'gitlab',
  'slack',
  'npm',
  'anthropic',
  'openai',
  'jwt',
  'url-credentials',
  'authorization',
  'assignment',
  // Not a pattern: redactValue puts it on the value of an object key that names a secret.
  'field',
]);

const mark = (kind: string): string => `[REDACTED:${kind}]`;

/** Replace text[start, end) with `text`. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

type Match = RegExpExecArray & { indices: Array<[number, number] | undefined> };

interface Rule {
  /** Compiled sticky when the rule has anchors, global otherwise; always with indices (`d`). */
  re: RegExp;
  /**
   * [needle, back]: the regex is tried only `back` characters before each place where `needle`
   * occurs (found with indexOf, which is much faster than a regex scan, the more so when the
   * needle starts with a rare character). Without anchors the regex scans the whole text.
   */
  anchors?: ReadonlyArray<readonly [string, number]>;
  /**
   * A match may not start right after such a character (a token inside a longer word). Tested
   * before the regex runs: that keeps a text like 'sk-sk-sk-...' linear.
   */
  notAfter?: (c: number) => boolean;
  /** The edit for this match, or null to leave it. */
  edit: (m: Match, text: string) => Edit | null;
}

// ---------------------------------------------------------------- helpers

const MARKER_RE = /\[REDACTED:[a-z0-9-]+\]/g;
const QUOTE_CHARS = '"\'`';

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
/** A character of a key: letters, digits, `_`, `-`, `.`. */
const isKeyChar = (c: number): boolean => isAlnum(c) || c === 95 || c === 45 || c === 46;
/** A character of a token: letters, digits, `_`, `-`. */
const isTokenChar = (c: number): boolean => isAlnum(c) || c === 95 || c === 45;

/** A quote character just before `i`, or ''. */
function quoteBefore(text: string, i: number): string {
  const c = text.charAt(i - 1);
  return c !== '' && QUOTE_CHARS.includes(c) ? c : '';
}

/**
 * Whether a key word found at `i` starts a word-part of its key: at the start, after a
 * separator, or at a camelCase hump (`accessToken`), so `mytoken` does not count.
 */
function startsWordPart(s: string, i: number): boolean {
  if (i === 0) return true;
  const prev = s.charCodeAt(i - 1);
  const cur = s.charCodeAt(i);
  if (!isAlnum(prev) || !isAlnum(cur)) return true;
  return isUpper(cur) && !isUpper(prev);
}

/** Keys ending in _KEY that name no secret. */
const NOT_SECRET_KEY_RE = /(?:PUBLIC|PUBLISHABLE|PRIMARY|SORT|PARTITION|RANGE|HASH|CACHE|FOREIGN|ROUTING|STORAGE|LOOKUP|QUERY|IDEMPOTENCY|SSH_PUB)_KEY$/;

/**
 * Whether the key word `kw` found at the end of `key` names a secret. It must start a word-part,
 * or end an all-caps key (PGPASSWORD). `_PAT` (a personal access token: GH_PAT) and `_KEY`
 * (STRIPE_KEY) count only in upper case, as `url_pat` is a pattern and `sort_key` a column.
 */
function namesSecret(key: string, kw: RegExpExecArray): boolean {
  if (!startsWordPart(key, kw.index) && key !== key.toUpperCase()) return false;
  if (kw[0].length !== 4 || !/^[_-](?:pat|key)$/i.test(kw[0])) return true;
  return kw[0] === kw[0].toUpperCase() && !NOT_SECRET_KEY_RE.test(key);
}

/** The edit that replaces capture group `g` of a match with the marker. */
function groupEdit(m: Match, g: number, kind: string): Edit | null {
  const span = m.indices[g];
  return span && span[1] > span[0] ? { start: span[0], end: span[1], text: mark(kind) } : null;
}

/** The index of the first capture group in [from, to] that took part in the match, or -1. */
function firstGroup(m: Match, from: number, to: number): number {
  for (let i = from; i <= to; i++) if (m[i] !== undefined) return i;
  return -1;
}

/**
 * Values that are not secrets: empty, already redacted, variable references, templates and
 * format strings (%s, {}), placeholders, versions and OIDs ("@octokit/auth-token": "^5.1.1").
 */
const PLACEHOLDER_RE = /^(?:\s*|<[^>]*>|\*+|\.{3}|…|%[A-Za-z_]+%|%(?:\([^)]*\))?[sdr]|\{\w*\}|\{\{.*\}\}|your[_-].*|x{3,}.*|[~^]?v?\d+(?:\.\d+)+(?:[-+][\w.-]*)?)$/i;
const TEMPLATE_RE = /\$\{|\$\(|\{\{|^\$/;
/** A prefix and an ellipsis (`sk-...`, `sk_live_…`), or the documentation's example keys (`...EXAMPLE`, `...EXAMPLEKEY`). */
const ELIDED_RE = /^[\w.-]{0,16}(?:\.{3}|…)$|EXAMPLE(?:KEY)?$/;

function isPlaceholder(value: string, quote: string): boolean {
  if (PLACEHOLDER_RE.test(value) || ELIDED_RE.test(value) || !/[A-Za-z0-9]/.test(value)) return true;
  if (value.includes('[REDACTED:') && value.replace(MARKER_RE, '').replace(/\\[nrt]|\s/g, '') === '') return true;
  // A single-quoted shell or YAML string is literal: '$abc' may well be a password.
  return quote !== "'" && TEMPLATE_RE.test(value);
}

/** Words that are types, language keywords or settings, not secret values. */
const NOT_SECRET_WORDS = new Set(
  (
    'null none nil undefined true false yes no on off string str number int integer float bool boolean any unknown ' +
    'object never void bytes optional required await async new typeof function this self cls import require lambda ' +
    'not return include omit same-origin read write bearer basic token secret password env redacted hidden'
  ).split(' '),
);

const IDENT_RE = /^[A-Za-z_$][\w$]*$/;
/** `opts.token`, `process.env.TOKEN!`, `this?.secret`, `alice.` (cut by markup): code, not a value. */
const MEMBER_CHAIN_RE = /^[A-Za-z_$][\w$]*(?:(?:\??\.[A-Za-z_$][\w$]*)+!?|\.)$/;
const HAS_DIGIT_RE = /\d/;
/** The end of a line (after an optional comment), or the quote that ends an argument. */
const LINE_END_RE = /^(?:[ \t]*(?:#[^\n]*)?(?:\r?\n|\\n|$)|\\?["'])/;
const SMALL_NUMBER_RE = /^\d{1,8}(?:\.\d+)?$/;

/** `key: value`, `key:value`, `key = value` (or :=), `key=value`. */
type Sep = 'colon' | 'colon-tight' | 'spaced' | 'tight';

/**
 * Whether an unquoted value is code (a type, a variable, a call) rather than a literal secret.
 * `after` is the text right after the value. After `: `, a plain word is code (`token: string;`)
 * unless it ends the line or the quoted argument (YAML, a header); after a `:` with no space, a
 * plain word always is (`'auth:login'`); after a spaced `=`, a plain word or a small number is
 * (`token = 16`); after a tight `=` (shell, .env, URL query) only a word followed by `,` or `)`
 * is (`f(password=password)`).
 */
function unquotedIsCode(value: string, after: string, sep: Sep): boolean {
  if (NOT_SECRET_WORDS.has(value.toLowerCase())) return true;
  const next = after.charAt(0);
  if (next === '(' || next === '[') return true;
  if (MEMBER_CHAIN_RE.test(value)) return true;
  const word = IDENT_RE.test(value) && !HAS_DIGIT_RE.test(value);
  if (sep === 'colon') return (word && !LINE_END_RE.test(after.slice(0, 200))) || SMALL_NUMBER_RE.test(value);
  if (sep === 'colon-tight') return word || SMALL_NUMBER_RE.test(value);
  if (sep === 'spaced') return word || SMALL_NUMBER_RE.test(value);
  return word && next !== '' && ',);}'.includes(next);
}

// ---------------------------------------------------------------- token formats

/** The edit that replaces a whole match, if `accept` (when given) takes it. */
function whole(kind: string, accept?: (s: string) => boolean) {
  return (m: Match): Edit | null => (accept && !accept(m[0]) ? null : { start: m.index, end: m.index + m[0].length, text: mark(kind) });
}

/** An `sk-` value that looks random (digits and mixed case, or a long alphanumeric run), not `sk-learn-docs-2`. */
function looksRandom(s: string): boolean {
  return HAS_DIGIT_RE.test(s) && ((/[A-Z]/.test(s) && /[a-z]/.test(s)) || /[A-Za-z0-9]{32}/.test(s));
}

const anthropicEdit = whole('anthropic');
const openaiEdit = whole('openai', looksRandom);

const TOKEN_RULES: readonly Rule[] = [
  {
    // -----BEGIN RSA|EC|OPENSSH|DSA|ENCRYPTED|PGP ... PRIVATE KEY( BLOCK)----- to its END line, or to
    // the end of a text cut short. The header must be followed by a line break (real or escaped in
    // a JSON string), optional header lines and key material, so code naming the header is left.
    re: /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?=(?:\s|\\[nr])+(?:[A-Za-z][A-Za-z-]*:[^\n\\]*(?:\s|\\[nr])+)*[A-Za-z0-9+/]{40})[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/dg,
    anchors: [['EGIN', 6]],
    edit: whole('private-key'),
  },
  {
    // No anchors: a plain scan is as fast as eight indexOf passes here.
    re: /(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}(?![A-Za-z0-9])/dg,
    notAfter: isAlnum,
    edit: whole('aws', (v) => !v.endsWith('EXAMPLE')),
  },
  {
    // A secret access key next to its key id (a credentials CSV, `id secret` on one line).
    re: /\[REDACTED:aws\][,;:|\s"'=]{1,5}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dg,
    anchors: [['[REDACTED:aws]', 0]],
    edit: (m) => groupEdit(m, 1, 'aws'),
  },
  {
    // aws configure set aws_secret_access_key VALUE (the = and : forms are key/value pairs, below).
    re: /(?:_key|Key|KEY)[ \t]+["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dg,
    anchors: [['_key', 0], ['Key', 0], ['KEY', 0]],
    edit: (m, text) => (/access_?$/i.test(text.slice(Math.max(0, m.index - 7), m.index)) ? groupEdit(m, 1, 'aws') : null),
  },
  {
    re: /gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}/dg,
    anchors: [['gh', 0], ['_pat_', 6]],
    notAfter: isTokenChar,
    edit: whole('github'),
  },
  {
    re: /gl(?:pat|dt|rt|ptt|soat|cbt|imt|ft)-[A-Za-z0-9_-]{20,}(?:\.[A-Za-z0-9_-]+)*/dg,
    anchors: [['gl', 0]],
    notAfter: isTokenChar,
    edit: whole('gitlab'),
  },
  {
    re: /(?:xox[abeoprs]|xapp)-[0-9]+-[A-Za-z0-9-]{10,}/dg,
    anchors: [['xox', 0], ['xapp-', 0]],
    notAfter: isAlnum,
    edit: whole('slack'),
  },
  {
    // Keep https://hooks.slack.com/services/, redact the path that is the secret.
    re: /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9/_-]{16,})/dg,
    anchors: [['ks.sl', 3]],
    edit: (m) => groupEdit(m, 1, 'slack'),
  },
  {
    re: /npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/dg,
    anchors: [['pm_', 1]],
    notAfter: isTokenChar,
    edit: whole('npm'),
  },
  {
    // //registry.npmjs.org/:_authToken=..., :_auth=..., :_password=...
    re: /:_(?:authToken|auth|password)[ \t]*=[ \t]*(?:"([^"\r\n]{1,4096})"?|'([^'\r\n]{1,4096})'?|([^\s'"]{1,4096}))/dg,
    anchors: [[':_', 0]],
    edit: (m) => {
      const g = firstGroup(m, 1, 3);
      return g < 0 || isPlaceholder(m[g] ?? '', g === 2 ? "'" : '"') ? null : groupEdit(m, g, 'npm');
    },
  },
  {
    // sk-ant-... is Anthropic's; sk-..., sk-proj-..., sk-svcacct-..., sk-admin-... OpenAI's.
    re: /sk-[A-Za-z0-9_-]{20,}/dg,
    anchors: [['k-', 1]],
    notAfter: isTokenChar,
    edit: (m) => (m[0].startsWith('sk-ant-') ? anthropicEdit : openaiEdit)(m),
  },
  // Formats gitleaks' rules miss or end too early, each with a literal it starts with.
  { re: /whsec_[A-Za-z0-9+/=]{24,}/dg, anchors: [['whsec_', 0]], notAfter: isTokenChar, edit: whole('stripe') },
  { re: /ya29\.[A-Za-z0-9_-]{20,}/dg, anchors: [['ya29.', 0]], notAfter: isTokenChar, edit: whole('google') },
  // Google OAuth refresh tokens (what `firebase login:ci` prints): 1//0 then the token.
  { re: /1\/\/0[A-Za-z0-9_-]{40,}/dg, anchors: [['1//0', 0]], notAfter: isTokenChar, edit: whole('google') },
  { re: /re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}(?![A-Za-z0-9_])/dg, anchors: [['re_', 0]], notAfter: isTokenChar, edit: whole('resend', looksRandom) },
  // Doppler's service, CLI, service-account, SCIM and audit tokens (gitleaks knows only dp.pt.).
  { re: /dp\.(?:st|ct|sa|scim|audit)\.(?:[a-z0-9_-]{1,64}\.)?[A-Za-z0-9]{40,44}(?![A-Za-z0-9])/dg, anchors: [['dp.', 0]], notAfter: isTokenChar, edit: whole('doppler') },
  // Salesforce session ids: the org id (00D...), then `!` and the session.
  { re: /00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{60,}/dg, anchors: [['00D', 0]], notAfter: isTokenChar, edit: whole('salesforce') },
  { re: /dckr_pat_[A-Za-z0-9_-]{20,}/dg, anchors: [['dckr_pat_', 0]], notAfter: isTokenChar, edit: whole('docker') },
  // AI providers' keys an agent's environment holds: xAI (80 characters), Replicate (37), Tavily (32).
  { re: /xai-[A-Za-z0-9]{80}(?![A-Za-z0-9])/dg, anchors: [['xai-', 0]], notAfter: isTokenChar, edit: whole('xai', looksRandom) },
  { re: /r8_[A-Za-z0-9]{37}(?![A-Za-z0-9_])/dg, anchors: [['r8_', 0]], notAfter: isTokenChar, edit: whole('replicate', looksRandom) },
  { re: /tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}(?![A-Za-z0-9])/dg, anchors: [['tvly-', 0]], notAfter: isTokenChar, edit: whole('tavily', looksRandom) },
  { re: /gsk_[A-Za-z0-9]{52}(?![A-Za-z0-9])/dg, anchors: [['gsk_', 0]], notAfter: isTokenChar, edit: whole('groq', looksRandom) },
  // ElevenLabs: sk_ and 48 hex digits (Stripe's sk_live_/sk_test_ are gitleaks').
  { re: /sk_[0-9a-f]{48}(?![0-9A-Za-z])/dg, anchors: [['sk_', 0]], notAfter: isTokenChar, edit: whole('elevenlabs', looksRandom) },
  // Notion's integration secrets, old (secret_) and new (ntn_).
  { re: /(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{46})(?![A-Za-z0-9])/dg, anchors: [['secret_', 0], ['ntn_', 0]], notAfter: isTokenChar, edit: whole('notion', looksRandom) },
  { re: /pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{50,70}(?![A-Za-z0-9])/dg, anchors: [['pcsk_', 0]], notAfter: isTokenChar, edit: whole('pinecone', looksRandom) },
  { re: /napi_[a-z0-9]{64}(?![A-Za-z0-9])/dg, anchors: [['napi_', 0]], notAfter: isTokenChar, edit: whole('neon', looksRandom) },
  { re: /nfp_[A-Za-z0-9]{36,40}(?![A-Za-z0-9])/dg, anchors: [['nfp_', 0]], notAfter: isTokenChar, edit: whole('netlify', looksRandom) },
  { re: /rnd_[A-Za-z0-9]{32}(?![A-Za-z0-9])/dg, anchors: [['rnd_', 0]], notAfter: isTokenChar, edit: whole('render', looksRandom) },
  { re: /figd_[A-Za-z0-9_-]{40,45}(?![A-Za-z0-9_-])/dg, anchors: [['figd_', 0]], notAfter: isTokenChar, edit: whole('figma', looksRandom) },
  { re: /tskey-[a-z]+-[A-Za-z0-9]+-[A-Za-z0-9]+/dg, anchors: [['tskey-', 0]], notAfter: isTokenChar, edit: whole('tailscale') },
  { re: /sdk-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/dg, anchors: [['sdk-', 0]], notAfter: isTokenChar, edit: whole('launchdarkly') },
  { re: /md-[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])/dg, anchors: [['md-', 0]], notAfter: isTokenChar, edit: whole('mandrill', looksRandom) },
  { re: /sk\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{10,}/dg, anchors: [['sk.eyJ', 0]], notAfter: isTokenChar, edit: whole('mapbox') },
  { re: /oauth:[a-z0-9]{30}(?![a-z0-9])/dg, anchors: [['oauth:', 0]], edit: (m) => ({ start: m.index + 6, end: m.index + m[0].length, text: mark('twitch') }) },
  { re: /[0-9a-f]{36}NRAL(?![A-Za-z0-9])/dg, anchors: [['NRAL', 36]], notAfter: isAlnum, edit: whole('newrelic') },
  { re: /[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}(?![0-9a-f-])/dg, notAfter: isTokenChar, edit: whole('mailgun') },
  // Telegram: the bot's id, then a secret that starts with AA.
  { re: /(?:bot)?(\d{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/dg, notAfter: isAlnum, edit: (m) => groupEdit(m, 1, 'telegram') },
  { re: /AKID[A-Za-z0-9]{32}(?![A-Za-z0-9])/dg, anchors: [['AKID', 0]], notAfter: isAlnum, edit: whole('tencent') },
  { re: /[MN][A-Za-z0-9]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}(?![A-Za-z0-9_-])/dg, notAfter: isTokenChar, edit: whole('discord', looksRandom) },
  // Ably: app.key:secret
  { re: /[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{6}:([A-Za-z0-9_-]{30,})(?![A-Za-z0-9_-])/dg, notAfter: isTokenChar, edit: (m) => (looksRandom(m[1] ?? '') ? groupEdit(m, 1, 'ably') : null) },
  // Webhook URLs whose path is the secret.
  { re: /webhooks\/\d+\/([A-Za-z0-9_-]{40,})/dg, anchors: [['webhooks/', 0]], edit: (m) => groupEdit(m, 1, 'discord') },
  { re: /webhookb2\/([^\s"'<>]+)/dg, anchors: [['webhookb2/', 0]], edit: (m) => groupEdit(m, 1, 'teams') },
  // Keys in the path of an RPC URL.
  { re: /(?:infura\.io\/v3|alchemy\.com\/v2|alchemyapi\.io\/v2)\/([A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])/dg, anchors: [['infura.io/v3/', 0], ['alchemy.com/v2/', 0], ['alchemyapi.io/v2/', 0]], edit: (m) => groupEdit(m, 1, 'rpc-key') },
  {
    // header.payload.signature, or header.payload when the token was cut short.
    re: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/dg,
    anchors: [['yJ', 1]],
    notAfter: isTokenChar,
    edit: whole('jwt'),
  },
  {
    // scheme://user:password@host: keep the scheme, the user and the host.
    re: /:\/\/[^\s:/?#@'"<>\\]{0,256}:([^\s/?#@'"<>\\]{1,1024})@/dg,
    anchors: [['://', 0]],
    edit: (m) => (isPlaceholder(m[1] ?? '', '"') ? null : groupEdit(m, 1, 'url-credentials')),
  },
];

// ---------------------------------------------------------------- key/value pairs

/**
 * The key words that name a secret when they end a key (`DB_PASSWORD`, `accessToken`,
 * `x-api-key`, `GH_PAT`, `STRIPE_KEY`), not when the key goes on (`tokenizer`, `max_tokens`,
 * `password_hash`). See namesSecret for the finer rules.
 */
const KEY_WORDS = String.raw`pass(?:word|wd|phrase)|pwd|secret|token|authtoken|api[_-]?key|(?:access|secret|private|signing|encryption|master|account|client|app|application|auth|license)[_-]?key|auth|[_-]pat|_key`;

/** The last three letters (lower case) of every key word, as numbers: ord (password), ken (token)... */
const KEY_WORD_ENDINGS = new Set(
  ['ord', 'swd', 'pwd', 'ase', 'ret', 'ken', 'key', 'uth', 'pat', 'ion', 'kie'].map((e) => (e.charCodeAt(0) << 16) | (e.charCodeAt(1) << 8) | e.charCodeAt(2)),
);
const PAIR_KEY_RE = new RegExp(String.raw`(?:${KEY_WORDS}|(authorization|cookie))$`, 'i');
const PASSWORD_KEY_RE = /(?:pass(?:word|wd|phrase)|pwd)$/i;
const AWS_SECRET_KEY_RE = /secret_?access_?key$/i;
const AWS_SECRET_RE = /^[A-Za-z0-9/+]{40}$/;

/** A quoted value: `\"...\"` inside an escaped string, then "..." (with f/r/b/u prefixes), '...', `...`. */
const QUOTED_RE =
  /\\"((?:[^"\\\r\n]|\\[^"\r\n]){0,8192})(?:\\")?|[fFrRbBuU]{0,2}"((?:[^"\\\r\n]|\\.){0,8192})"?|[fFrRbBuU]{0,2}'([^'\r\n]{0,8192})'?|`([^`\r\n]{0,8192})`?/dy;
const QUOTES = ['', '\\"', '"', "'", '`'];
const BARE_VALUE_RE = /[^\s'"`,;&<>(){}[\]\\]{1,4096}/y;
const SPACES_RE = /[ \t]*/y;

/** Authorization schemes kept in front of the redacted credentials. */
const SCHEMES = new Set(['bearer', 'basic', 'token', 'bot', 'jwt', 'apikey', 'api-key', 'key', 'negotiate', 'ntlm', 'digest', 'oauth', 'hawk', 'aws4-hmac-sha256', 'sso-key', 'ssws', 'accesskey', 'splunk', 'gensecret', 'klaviyo-api-key']);
/** Schemes whose credentials are one token; the others (Digest, AWS4-HMAC-SHA256, OAuth...) run on. */
const ONE_TOKEN_SCHEMES = new Set(['bearer', 'basic', 'token', 'bot', 'jwt', 'apikey', 'api-key', 'key', 'negotiate', 'ntlm', 'sso-key', 'ssws', 'accesskey', 'splunk', 'gensecret', 'klaviyo-api-key']);

interface Value {
  start: number;
  end: number;
  /** '' when unquoted. */
  quote: string;
}

/** The value starting at `j`: a quoted string's content, else `bare` (a sticky regex) from `j`. */
function valueAt(text: string, j: number, bare: RegExp): Value | null {
  const q = quotedAt(text, j);
  if (q) return q;
  bare.lastIndex = j;
  const b = bare.exec(text);
  return b ? { start: j, end: j + b[0].length, quote: '' } : null;
}

/**
 * Where an unquoted header value that runs on (a cookie list, Digest parameters) ends: at the
 * end of the line, or at the quote that closes the argument the header is in (curl -H "..."),
 * at most 4096 characters on.
 */
function argumentEnd(text: string, keyStart: number, j: number): number {
  const window = text.slice(j, j + 4096);
  let end = window.indexOf('\n');
  if (end < 0) end = window.length;
  else if (window.charCodeAt(end - 1) === 13) end--;
  const before = quoteBefore(text, keyStart);
  if (before) {
    // The first unescaped closing quote (Digest parameters inside -H "..." are \"escaped\").
    let close = window.indexOf(before);
    while (close > 0 && close < end && window.charCodeAt(close - 1) === 92 && before !== "'") close = window.indexOf(before, close + 1);
    if (close >= 0 && close < end) end = close;
  }
  return j + end;
}

/** The quoted value at `j`, if there is one. */
function quotedAt(text: string, j: number): Value | null {
  QUOTED_RE.lastIndex = j;
  const q = QUOTED_RE.exec(text) as Match | null;
  const g = q ? firstGroup(q, 1, 4) : -1;
  const span = q?.indices[g];
  return span ? { start: span[0], end: span[1], quote: QUOTES[g] ?? '"' } : null;
}

/** 'Password: ' or "token=" + t: the key is inside a string literal, which the "value" quote closes. */
function keyInsideString(text: string, keyStart: number, keyClose: string, quote: string): boolean {
  const before = quoteBefore(text, keyStart);
  return !keyClose && before !== '' && quote.endsWith(before);
}

const COOKIE_RE = /^[^\s=;,()]+=/;
const SCHEME_Y = /([A-Za-z][A-Za-z0-9-]*)[ \t]+(?=\S)/y;
const ONE_TOKEN_Y = /[^\s'"\\]*/y;
const BARE_TOKEN_Y = /[^\s'"\\,;()[\]{}<>]*/y;
function tokenEnd(text: string, start: number, re: RegExp): number {
  re.lastIndex = start;
  return start + re.exec(text)![0].length;
}

/** Redacts the credentials in the value of an Authorization or Cookie header (or key). */
function headerEdit(text: string, keyStart: number, keyClose: string, name: string, j: number, sep: Sep): Edit | null {
  const q = quotedAt(text, j);
  if (q && keyInsideString(text, keyStart, keyClose, q.quote)) return null;
  const quote = q ? q.quote : '';
  let start = q ? q.start : j;
  let end = q ? q.end : -1;
  if (name === 'cookie') {
    // A cookie header holds name=value pairs; `cookie: req.headers.cookie` does not.
    if (!q) end = argumentEnd(text, keyStart, j);
    if (!COOKIE_RE.test(text.slice(start, end))) return null;
  } else {
    SCHEME_Y.lastIndex = start;
    const scheme = SCHEME_Y.exec(text);
    if (scheme && (!q || start + scheme[0].length < end) && SCHEMES.has(scheme[1]!.toLowerCase())) {
      start += scheme[0].length;
      if (!q) end = ONE_TOKEN_SCHEMES.has(scheme[1]!.toLowerCase()) ? tokenEnd(text, start, ONE_TOKEN_Y) : argumentEnd(text, keyStart, j);
    } else if (q) {
      if (end - start < 24 && SCHEMES.has(text.slice(start, end).trim().toLowerCase())) return null; // "Bearer " + token
    } else {
      end = tokenEnd(text, start, BARE_TOKEN_Y);
      if (unquotedIsCode(text.slice(start, end), text.slice(end, end + 200), sep)) return null;
    }
  }
  if (end <= start || isPlaceholder(text.slice(start, end), quote)) return null;
  return { start, end, text: mark('authorization') };
}

/** Redacts the value of `key = value` / `key: value` when the key names a secret. */
function assignmentEdit(text: string, keyStart: number, keyClose: string, key: string, j: number, sep: Sep): Edit | null {
  const v = valueAt(text, j, BARE_VALUE_RE);
  if (!v) return null;
  // X-Auth: Bearer abc, "token": "Bearer abc": keep the scheme, as in an Authorization header.
  SCHEME_Y.lastIndex = v.start;
  const scheme = SCHEME_Y.exec(text);
  if (scheme && ONE_TOKEN_SCHEMES.has(scheme[1]!.toLowerCase()) && (!v.quote || v.start + scheme[0].length < v.end)) {
    v.start += scheme[0].length;
    if (!v.quote) v.end = tokenEnd(text, v.start, ONE_TOKEN_Y);
  }
  const value = text.slice(v.start, v.end);
  if (value.length < 3 || isPlaceholder(value, v.quote)) return null;
  if (value.length < 20 && (NOT_SECRET_WORDS.has(value.toLowerCase()) || SCHEMES.has(value.toLowerCase()))) return null; // "string", 'Bearer'
  if (AWS_SECRET_KEY_RE.test(key) && AWS_SECRET_RE.test(value)) return { start: v.start, end: v.end, text: mark('aws') };
  if (/pwd$/i.test(key) && /^[~/]/.test(value)) return null; // PWD=/home/me is the working directory
  const before = text.charAt(keyStart - 1);
  if (before === '/' || before === '@') return null; // a path or a package name, not a variable
  if (v.quote) {
    if (keyInsideString(text, keyStart, keyClose, v.quote)) return null;
    // Tokens and keys have no spaces, passwords may: InvalidToken: 'invalid token' is a message.
    if (/\s/.test(value) && !PASSWORD_KEY_RE.test(key)) return null;
  } else if (unquotedIsCode(value, text.slice(v.end, v.end + 200), sep)) {
    return null;
  }
  return { start: v.start, end: v.end, text: mark('assignment') };
}

const isQuoteCode = (c: number): boolean => c === 34 || c === 39 || c === 96;

/** The edit for the `=` or `:` at `i`, if the key before it names a secret. */
function pairEdit(text: string, i: number): Edit | null {
  // Back over spaces, a `]` (env["API_KEY"] = ...) and the key's closing quote (\" inside an
  // escaped string) to the end of the key: this runs for every = and :, so it is kept cheap.
  let k = i;
  while (k > 0 && (text.charCodeAt(k - 1) === 32 || text.charCodeAt(k - 1) === 9)) k--;
  const spacedBefore = k < i;
  if (text.charCodeAt(k - 1) === 93 && isQuoteCode(text.charCodeAt(k - 2))) k--;
  let keyEnd = k;
  if (isQuoteCode(text.charCodeAt(k - 1))) keyEnd--;
  if (keyEnd < k && text.charCodeAt(keyEnd) === 34 && text.charCodeAt(keyEnd - 1) === 92) keyEnd--;
  const ending = ((text.charCodeAt(keyEnd - 3) | 32) << 16) | ((text.charCodeAt(keyEnd - 2) | 32) << 8) | (text.charCodeAt(keyEnd - 1) | 32);
  if (!KEY_WORD_ENDINGS.has(ending)) return null;

  const next = text.charCodeAt(i + 1);
  const prev = text.charCodeAt(i - 1);
  let sepEnd = i + 1;
  let colon = false;
  if (text.charCodeAt(i) === 58 /* : */) {
    if (next === 58 || prev === 58) return null; // ::
    if (next === 61) sepEnd++; // :=
    else colon = true;
  } else {
    if (next === 61 || next === 62 || next === 126) return null; // ==, =>, =~
    if (prev === 61 || prev === 33 || prev === 60 || prev === 62 || prev === 43 || prev === 58) return null; // == != <= >= += :=
  }
  const keyClose = text.slice(keyEnd, k);
  let keyStart = keyEnd;
  while (keyStart > 0 && keyEnd - keyStart < 128 && isKeyChar(text.charCodeAt(keyStart - 1))) keyStart--;
  const key = text.slice(keyStart, keyEnd);
  const kw = PAIR_KEY_RE.exec(key);
  if (!kw || !namesSecret(key, kw)) return null;

  SPACES_RE.lastIndex = sepEnd;
  const j = sepEnd + SPACES_RE.exec(text)![0].length;
  const sep: Sep = colon ? (j > sepEnd ? 'colon' : 'colon-tight') : spacedBefore || j > sepEnd || sepEnd > i + 1 ? 'spaced' : 'tight';
  if (sep === 'spaced' && kw[0] === '_KEY') return null; // CACHE_KEY = 'users': a constant in code
  if (kw[1]) return headerEdit(text, keyStart, keyClose, kw[1].toLowerCase(), j, sep);
  return assignmentEdit(text, keyStart, keyClose, key, j, sep);
}

function redactPairs(text: string): string {
  let out = '';
  let last = 0;
  let eq = text.indexOf('=');
  let co = text.indexOf(':');
  while (eq >= 0 || co >= 0) {
    let i: number;
    if (co < 0 || (eq >= 0 && eq < co)) {
      i = eq;
      eq = text.indexOf('=', eq + 1);
    } else {
      i = co;
      co = text.indexOf(':', co + 1);
    }
    if (i < last || i === 0) continue;
    const e = pairEdit(text, i);
    if (e && e.start >= last) {
      out += text.slice(last, e.start) + e.text;
      last = e.end;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

// ---------------------------------------------------------------- command-line credentials

/** Whether the command line that ends at `i` (following `\` continuations) runs one of `commands`. */
function lineRuns(text: string, i: number, commands: RegExp): boolean {
  const window = text.slice(Math.max(0, i - 1000), i);
  let start = window.lastIndexOf('\n');
  while (start > 0 && window.charCodeAt(start - 1) === 92) start = window.lastIndexOf('\n', start - 1);
  return commands.test(start < 0 ? window : window.slice(start + 1));
}

const CURL_RE = /\bcurl\b/;
/** Programs whose -p is a password: a login (`docker login -p`), sshpass; attached (`-pSECRET`), mysql's too. */
const PASSWORD_P_RE = /\blogin\b|\bsshpass\b/;
const ATTACHED_P_RE = /\bmysql(?:dump|admin|sh)?\b|\bsshpass\b/;
const SECRET_SET_RE = /\bsecrets?\s+set\b/;

/**
 * The edit for the value of a command-line flag: curl -u/--user USER:PASSWORD and -b/--cookie
 * NAME=VALUE (authorization), gh secret set -b/--body VALUE, docker login -p VALUE, mysql
 * -pVALUE and --password, --api-token... VALUE (assignment). `first` is the regex group of a
 * double-quoted value; a single-quoted and a bare value are the next two groups.
 */
function flagEdit(m: Match, text: string, name: string, first: number, attached: boolean): Edit | null {
  const g = firstGroup(m, first, first + 2);
  const span = m.indices[g];
  if (!span) return null;
  const value = m[g]!;
  const bare = g === first + 2;
  const quote = g === first + 1 ? "'" : '"';
  // Already redacted: a marker's own colon is not user:password (redacting twice changes nothing).
  if (isPlaceholder(value, quote) || (bare && value.startsWith('-')) || value.includes('[REDACTED:')) return null;
  const edit = (kind: string, from = 0): Edit => ({ start: span[0] + from, end: span[1], text: mark(kind) });
  switch (name) {
    case 'u':
    case 'user': {
      const colon = value.indexOf(':');
      if (colon < 0 || !lineRuns(text, m.index, CURL_RE)) return null;
      // `-u sk_live_…:`: an API key given as the user with no password (Stripe, Lob, Mailgun).
      if (colon === value.length - 1) return looksSecret(value.slice(0, colon)) ? { start: span[0], end: span[0] + colon, text: mark('authorization') } : null;
      if (isPlaceholder(value.slice(colon + 1), quote)) return null;
      return edit('authorization', colon + 1);
    }
    case 'b':
    case 'body':
    case 'cookie':
      if (name !== 'cookie' && lineRuns(text, m.index, SECRET_SET_RE)) return edit('assignment');
      return name !== 'body' && COOKIE_RE.test(value) && lineRuns(text, m.index, CURL_RE) ? edit('authorization') : null;
    case 'p':
      return lineRuns(text, m.index, attached ? ATTACHED_P_RE : PASSWORD_P_RE) ? edit('assignment') : null;
    default: {
      const kw = PAIR_KEY_RE.exec(name);
      if (!kw || kw[1] || !namesSecret(name, kw)) return null;
      if (bare && (NOT_SECRET_WORDS.has(value.toLowerCase()) || (IDENT_RE.test(value) && !HAS_DIGIT_RE.test(value)))) return null; // the --token flag
      return edit('assignment');
    }
  }
}

/**
 * A value that reads as a secret rather than a word, a name, a path or a version: long enough,
 * letters and digits, and random enough (Shannon entropy, as gitleaks measures it).
 */
function looksSecret(value: string): boolean {
  return value.length >= 16 && /\d/.test(value) && /[A-Za-z]/.test(value) && !value.includes('://') && !/^[./~]/.test(value) && entropy(value) >= 3.2;
}

const SQLCMD_RE = /\b(?:sqlcmd|bcp|osql)\b/;

const COMMAND_RULES: readonly Rule[] = [
  {
    // --name VALUE or --name=VALUE (the pairs pass has already redacted --password=VALUE).
    re: /--([A-Za-z0-9][\w-]{0,63})(?:[ \t]+|=)(?:"((?:[^"\\\r\n]|\\.){1,4096})"?|'([^'\r\n]{1,4096})'?|([^\s'"`;&|<>()[\]\\]{1,4096}))/dg,
    anchors: [['--', 0]],
    notAfter: isTokenChar,
    edit: (m, text) => flagEdit(m, text, m[1]!, 2, false),
  },
  {
    // -u VALUE, -b VALUE, -p VALUE, -pVALUE
    re: /[ \t]-([ubp])([ \t]+)?(?:"([^"\r\n]{1,1024})"|'([^'\r\n]{1,1024})'|([^\s'"]{1,1024}))/dg,
    anchors: [['-u', 1], ['-b', 1], ['-p', 1]],
    edit: (m, text) => flagEdit(m, text, m[1]!, 3, !m[2]),
  },
  {
    // A CLI's login with the token as its argument: `cargo login T`, `snyk auth T`, `ngrok config
    // add-authtoken T`, `yc config set token T`, `tccli configure set secretId T`. Flags between
    // are stepped over; only a value that reads as a secret goes.
    re: /\b(?:login|auth|add-authtoken|set[ \t]+(?:token|secretId|secretKey|secret[_-]id|secret[_-]key|password|api[_-]?key|auth[_-]?token))[ \t]+(?:-{1,2}[\w-]+(?:=\S+)?[ \t]+)*["']?([A-Za-z0-9][A-Za-z0-9._~+/=-]{15,})["']?(?![^\s'"])/dg,
    edit: (m) => (looksSecret(m[1] ?? '') ? groupEdit(m, 1, 'assignment') : null),
  },
  {
    // `echo TOKEN | some-cli login --with-token`
    re: /\becho[ \t]+["']?([A-Za-z0-9][A-Za-z0-9._~+/=-]{15,})["']?[ \t]*\|[^|\n]*?\b(?:login|auth)\b/dg,
    anchors: [['echo', 0]],
    edit: (m) => (looksSecret(m[1] ?? '') ? groupEdit(m, 1, 'assignment') : null),
  },
  {
    // sqlcmd -P PASSWORD (for mysql, -P is the port); java -jar jenkins-cli.jar -auth USER:TOKEN
    re: /[ \t]-(P|auth)[ \t]+(?:"([^"\r\n]{1,1024})"|'([^'\r\n]{1,1024})'|([^\s'"]{1,1024}))/dg,
    anchors: [['-P', 1], ['-auth', 1]],
    edit: (m, text) => {
      const g = firstGroup(m, 2, 4);
      const value = m[g] ?? '';
      if (g < 0 || isPlaceholder(value, g === 3 ? "'" : '"') || value.includes('[REDACTED:')) return null;
      if (m[1] === 'P') return lineRuns(text, m.index, SQLCMD_RE) ? groupEdit(m, g, 'assignment') : null;
      const colon = value.indexOf(':');
      const span = m.indices[g]!;
      return colon > 0 && colon < value.length - 1 ? { start: span[0] + colon + 1, end: span[1], text: mark('authorization') } : null;
    },
  },
  {
    // Signatures and keys in a URL's query: Azure SAS `sig=`, S3 `X-Amz-Signature=`, `access_token=`.
    re: /[?&](sig|signature|x-amz-signature|x-goog-signature|x-amz-security-token|access_token|refresh_token|client_secret|api[_-]?key|apikey|appid|app_key|token|auth|key|secret|password|pass)=([^&\s"'#<>]{8,})/dgi,
    anchors: [['?', 0], ['&', 0]],
    edit: (m) => {
      const value = m[2] ?? '';
      if (isPlaceholder(value, '"') || value.includes('[REDACTED:')) return null;
      const name = (m[1] ?? '').toLowerCase();
      // Generic names need a value that reads as a secret: `?key=sort` is not one.
      if (['token', 'auth', 'key', 'sig', 'pass', 'appid'].includes(name) && !looksSecret(decodeURIComponentSafe(value))) return null;
      return groupEdit(m, 2, 'url-credentials');
    },
  },
  {
    // .netrc: machine HOST login USER password VALUE
    re: /machine\s+\S+\s+login\s+\S+\s+password\s+(\S+)/dg,
    anchors: [['hine', 3]],
    notAfter: (c) => c > 32,
    edit: (m) => (isPlaceholder(m[1] ?? '', '"') ? null : groupEdit(m, 1, 'assignment')),
  },
];

// ---------------------------------------------------------------- strings

/** Runs a global regex over the whole text. */
function scanAll(text: string, rule: Rule): string {
  const re = rule.re;
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  for (let m = re.exec(text) as Match | null; m; m = re.exec(text) as Match | null) {
    const e = rule.notAfter && m.index > 0 && rule.notAfter(text.charCodeAt(m.index - 1)) ? null : rule.edit(m, text);
    if (e && e.start >= last) {
      out += text.slice(last, e.start) + e.text;
      last = e.end;
      re.lastIndex = Math.max(e.end, m.index + 1);
    } else if (m[0].length === 0) {
      re.lastIndex++;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Tries a sticky regex at each anchor, in text order. */
function scanAnchored(text: string, rule: Rule, anchors: ReadonlyArray<readonly [string, number]>): string {
  const re = rule.re;
  const next = anchors.map(([needle, back]) => text.indexOf(needle, back));
  let out = '';
  let last = 0;
  for (;;) {
    let a = -1;
    let start = Infinity;
    for (let k = 0; k < next.length; k++) {
      const at = next[k]!;
      if (at >= 0 && at - anchors[k]![1] < start) {
        start = at - anchors[k]![1];
        a = k;
      }
    }
    if (a < 0) break;
    next[a] = text.indexOf(anchors[a]![0], next[a]! + 1);
    if (start < last || (rule.notAfter && start > 0 && rule.notAfter(text.charCodeAt(start - 1)))) continue;
    re.lastIndex = start;
    const m = re.exec(text) as Match | null;
    const e = m && rule.edit(m, text);
    if (e && e.start >= last) {
      out += text.slice(last, e.start) + e.text;
      last = e.end;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

function applyRule(text: string, rule: Rule): string {
  return rule.anchors ? scanAnchored(text, rule, rule.anchors) : scanAll(text, rule);
}

/** Compiles each rule's regex: sticky for anchored rules, global for the others. */
function compile(rules: readonly Rule[]): readonly Rule[] {
  return rules.map((r) => ({ ...r, re: new RegExp(r.re.source, (r.anchors ? 'dy' : 'dg') + (r.re.ignoreCase ? 'i' : '')) }));
}

const TOKEN_PASS = compile(TOKEN_RULES);
const COMMAND_PASS = compile(COMMAND_RULES);

/** gitleaks' formats (secrets.ts), each value replaced with `[REDACTED:<rule id>]`. */
function redactFormats(text: string): string {
  const found = findSecrets(text);
  if (!found.length) return text;
  let out = '';
  let last = 0;
  for (const f of found) {
    out += text.slice(last, f.start) + mark(f.kind);
    last = f.end;
  }
  return out + text.slice(last);
}

/**
 * Replaces every secret in `text` with `[REDACTED:<kind>]`: nevo's own formats, key/value pairs and
 * command-line flags (kinds below), then what gitleaks' formats find in the rest (the rule id as kind).
 */
export function redactString(text: string): string {
  if (typeof text !== 'string' || text.length < 4) return text;
  let out = text;
  for (const rule of TOKEN_PASS) out = applyRule(out, rule);
  out = redactPairs(out);
  for (const rule of COMMAND_PASS) out = applyRule(out, rule);
  return redactFormats(out);
}

// ---------------------------------------------------------------- values

const FIELD_KEY_RE = new RegExp(String.raw`(?:${KEY_WORDS}|authorization|credentials?|cookie)$`, 'i');

/** Whether an object key names a secret: GITHUB_TOKEN, DB_PASSWORD, x-api-key, accessToken, Authorization... */
function keyNamesSecret(key: string): boolean {
  const m = FIELD_KEY_RE.exec(key);
  return m !== null && namesSecret(key, m);
}

/** Everything under a secret-named key goes, whatever its shape: strings, numbers, lists, objects. */
function redactAll(value: unknown): unknown {
  if (value === null || typeof value === 'boolean' || value === '') return value;
  if (Array.isArray(value)) return value.map(redactAll);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactString(k), redactAll(v)]));
  return mark('field');
}

/** An argument list such as ["--password", "x"] is a command line: redacted as one, item by item. */
function copyArray(items: unknown[]): unknown[] {
  if (items.length < 2 || !items.every((i) => typeof i === 'string')) return items.map(copy);
  const strings = items as string[];
  const out = strings.map((s) => redactString(s));
  for (let i = 0; i + 1 < strings.length; i++) {
    // "--password VALUE", "-p VALUE", "--token=..." split over two items: the value goes.
    if (/^-{1,2}[\w-]*(pass(word|wd)?|pwd|token|secret|api[-_]?key|auth)[\w-]*$/i.test(strings[i]!) || strings[i] === '-p') out[i + 1] = mark('assignment');
  }
  return out;
}

function copy(value: unknown): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return copyArray(value);
  // fromEntries defines own properties, so a "__proto__" key stays a plain key. Keys are text too:
  // a token used as a key is redacted like any other.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactString(k), keyNamesSecret(k) ? redactAll(v) : copy(v)]));
}

/**
 * Deep copy of a JSON value with every string (keys included) redacted; everything under an object
 * key that names a secret (password, token, api_key, authorization, cookie, credentials..., matched
 * on the end of the key: GITHUB_TOKEN, DB_PASSWORD, x-api-key, accessToken) is replaced with
 * `[REDACTED:field]`, whatever its type; argument lists are scanned as one command line.
 */
export function redactValue<T>(value: T): T {
  return copy(value) as T;
}
