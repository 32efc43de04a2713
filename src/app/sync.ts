// Team sync over any git remote, at the edges: what leaves the machine, git objects, the network
// and the one change that brings the others' shared state in. The merge itself is sync-merge.ts.
//
// Each member pushes only its own branch, refs/heads/nevo/members/<member>, whose one commit's
// tree is the member's shared state: rules/*.md, shared/rules.json (the rules' lineages),
// shared/incidents.json (its counts per fingerprint), skills/ and shared/skills.json (the
// inventory and the skills' lineages). No server logic, no push that can be refused for being behind: it is forced, and
// nobody else writes that branch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import * as z from 'zod';
import { UserError } from '../errors.js';
import { redactString, redactValue } from '../redact/redact.js';
import { exportRules } from '../rules/export.js';
import { loadRules } from '../rules/load.js';
import { writeRule } from '../rules/repository.js';
import { parseRule, ruleFileName, serialiseRule, RULE_ID, type Rule } from '../rules/rule.js';
import { gitFs } from '../store/git-fs.js';
import type { Fact, SkillRecord } from '../store/schemas.js';
import { isTrusted, provenanceOf, recordFacts, teamFinder } from '../memory/facts.js';
import { addDays, dayOf } from '../util/day.js';
import { stableJson } from '../util/json.js';
import { listFiles } from '../util/list-files.js';
import { pausePoint } from '../util/pause-point.js';
import { syncMember } from '../workspace/config.js';
import type { Workspace } from '../workspace/workspace.js';
import { syncAuth, type CredentialSource } from './sync-credentials.js';
import { settleNamed, type Keep } from './sync-settle.js';
import { readState, STATE_FILE } from './sync-state.js';
import { SHARED_DAYS, type SharedIncident, type TeamCount, sharedIncidents, teamCounts } from './sync-counts.js';
import { type SharedFact, incomingFacts, sharedFacts } from './sync-facts.js';
import { mergeShared, ownShared, ownSkills, skillHash, textHash, type SharedSkill, type MemberState, type MergeResult, type SharedRule, type SyncConflict, type SyncState } from './sync-merge.js';

export const MEMBER_PREFIX = 'refs/heads/nevo/members/';
const LOCAL_REF = 'refs/nevo/sync/own';
/** The remote's name in the workspace's .git/config: the members' branches land under refs/nevo/sync/members/. */
const SYNC_REMOTE = 'nevo-sync';

async function fetchRemote(dir: string, url: string): Promise<void> {
  await git.setConfig({ fs: gitFs, dir, path: `remote.${SYNC_REMOTE}.url`, value: url });
  await git.setConfig({ fs: gitFs, dir, path: `remote.${SYNC_REMOTE}.fetch`, value: `+${MEMBER_PREFIX}*:refs/nevo/sync/members/*` });
}

export interface SyncOptions {
  remote?: string;
  dryRun?: boolean;
  /** Settle the conflicts of this rule: keep this workspace's version (the default) or take theirs. */
  resolve?: string;
  keep?: Keep;
  /** Whose version to take, when the rule is in conflict with more than one member. */
  from?: string;
}

export interface OutgoingFile {
  path: string;
  bytes: number;
}

/** What a sync did: the merge's own account of the rules, and what travelled. */
export interface SyncResult extends Pick<MergeResult, 'added' | 'updated' | 'renamed' | 'collisions' | 'merged' | 'conflicts'> {
  /** Skills that came in from the others, or changed here to another member's newer version. */
  skills: MergeResult['skillsIn'];
  remote: string;
  member: string;
  dryRun: boolean;
  /** What leaves (or, with --dry-run, would leave) the machine. */
  files: OutgoingFile[];
  pushed: boolean;
  members: string[];
  resolved: SyncConflict[];
  team: TeamCount[];
  /** Facts other members reviewed that came in here: waiting in Review until a person takes them. */
  facts: string[];
  commit: string | null;
}


/**
 * isomorphic-git's fetch gives up when the remote's HEAD names no branch, as in a repository made
 * for the team where only members' branches were ever pushed (its `main` is unborn), and git
 * advertises no HEAD then. The client below names the first advertised branch as HEAD in the
 * advertisement of a fetch, when there is none: the fetch itself asks only for the members' branches.
 */
const fetchHttp: HttpClient = {
  async request(req: GitHttpRequest): Promise<GitHttpResponse> {
    const res = await http.request(req);
    if (!/\/info\/refs\?service=git-upload-pack$/.test(req.url) || res.statusCode !== 200 || !res.body) return res;
    const chunks: Uint8Array[] = [];
    for await (const chunk of res.body) chunks.push(chunk);
    const body = withHeadSymref(Buffer.concat(chunks));
    return { ...res, body: (async function* () {
      yield body;
    })() };
  },
};

/** A ref advertisement (pkt-lines) with `symref=HEAD:<its first ref>` added to its capabilities when it names no HEAD. */
export function withHeadSymref(buf: Buffer): Buffer {
  let at = 0;
  const next = () => {
    const len = Number.parseInt(buf.subarray(at, at + 4).toString('ascii'), 16);
    const start = at;
    at += len === 0 ? 4 : len;
    return { start, len, payload: len > 4 ? buf.subarray(start + 4, start + len) : Buffer.alloc(0) };
  };
  try {
    let line = next();
    if (line.payload.toString('utf8').startsWith('# service=')) {
      while (line.len !== 0 && at < buf.length) line = next();
      line = next();
    }
    const text = line.payload.toString('utf8');
    const nul = text.indexOf('\0');
    if (line.len <= 4 || nul < 0 || text.includes('symref=HEAD:')) return buf;
    const ref = text.slice(41, nul);
    if (ref === 'HEAD' || !ref.startsWith('refs/heads/')) return buf;
    const payload = `${text.replace(/\n$/, '')} symref=HEAD:${ref}\n`;
    const bytes = Buffer.from(payload, 'utf8');
    const head = Buffer.from((bytes.length + 4).toString(16).padStart(4, '0'), 'ascii');
    return Buffer.concat([buf.subarray(0, line.start), head, bytes, buf.subarray(line.start + line.len)]);
  } catch {
    return buf;
  }
}

/** The Authorization for the remote: the token in the environment variable `sync.tokenEnv` names, never written anywhere. */
/** A remote URL without its user and password, for messages. */
export function showRemote(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}

function networkError(ws: Workspace, remote: string, err: unknown, doing: string, source: CredentialSource): UserError {
  const e = err as { code?: string; message?: string; data?: { statusCode?: number } };
  const status = e.data?.statusCode;
  const where = showRemote(remote);
  const helperFix = 'or store one for this URL with git (`git credential approve`, `gh auth setup-git`)';
  const tokenFix =
    source.used === 'helper'
      ? `the token git's credential helper gave for it was refused (and taken out of the helper): store a token with read and write access to the repository (\`git credential approve\`), or name an environment variable that holds one in config.json (sync.tokenEnv)`
      : ws.config.sync.tokenEnv
        ? `set ${ws.config.sync.tokenEnv} to a token with read and write access to the repository, ${helperFix}`
        : `put a token in an environment variable and name the variable in config.json (sync.tokenEnv), ${helperFix}`;
  let why: string;
  if (status === 401 || status === 403 || e.code === 'UserCanceledError') why = `the remote refused the credentials (HTTP ${status ?? 'auth'}): ${tokenFix}`;
  else if (status === 404) why = 'no git repository at that address (HTTP 404): check the URL, or create the repository first';
  else if (e.code === 'PushRejectedError' || e.code === 'GitPushError') why = `the push was refused (${e.message ?? e.code}): check that the token may write branches under nevo/members/`;
  else if (status) why = `HTTP ${status}: ${e.message ?? ''}`.trim();
  else why = `it could not be reached (${e.message ?? String(err)}): check the URL and the network, then run \`nevo-tui sync\` again`;
  return new UserError(`sync with ${where} failed while ${doing}: ${why}. Nothing was changed in the workspace.`);
}

/** The shared state as files, every one redacted on the way out. */
export function sharedTree(rules: SharedRule[], incidents: SharedIncident[], skills: { skills: SharedSkill[]; inventory: SkillRecord[] }, member: string, facts: SharedFact[] = []): Map<string, string> {
  const files = new Map<string, string>();
  files.set('shared/facts.json', stableJson(redactValue({ version: 1, facts })));
  files.set('shared/member.json', stableJson({ version: 1, member }));
  for (const r of rules) files.set(ruleFileName(r.rule.id), redactString(serialise(r)));
  files.set('shared/rules.json', stableJson(Object.fromEntries(rules.map((r) => [r.rule.id, r.lineage]))));
  files.set('shared/incidents.json', stableJson(redactValue({ version: 1, incidents })));
  files.set('shared/skills.json', stableJson(redactValue({ version: 1, skills: skills.inventory, lineage: Object.fromEntries(skills.skills.map((k) => [k.name, k.lineage])) })));
  for (const k of skills.skills) for (const [rel, text] of Object.entries(k.files)) files.set(`skills/${k.name}/${rel}`, text);
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

function serialise(r: SharedRule): string {
  return serialiseRule(r.rule);
}

const SKILL_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** A file's path inside a skill's folder: no hidden or parent segment, nothing that could leave the folder. */
const skillPathOk = (rel: string) => rel.split('/').every((part) => part !== '' && !part.startsWith('.'));

/**
 * Each skill's files, by skill name: paths inside its folder to texts, redacted as they leave, so
 * the hash a member shares is that of what the others receive.
 */
function skillFiles(ws: Workspace): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const rel of listFiles(ws.root, 'skills')) {
    const [, name, ...rest] = rel.split('/');
    const inner = rest.join('/');
    if (!name || !SKILL_NAME.test(name) || !rest.length || !skillPathOk(inner)) continue;
    const files = out.get(name) ?? {};
    files[inner] = redactString(readFileSync(join(ws.root, rel), 'utf8'));
    out.set(name, files);
  }
  return out;
}

/** The texts of every file under `prefix` in a commit's tree, by path inside it. */
async function treeFiles(dir: string, commit: string, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (path: string): Promise<void> => {
    let tree;
    try {
      tree = (await git.readTree({ fs: gitFs, dir, oid: commit, filepath: path })).tree;
    } catch {
      return;
    }
    for (const e of tree) {
      const child = `${path}/${e.path}`;
      if (e.type === 'tree') await walk(child);
      else if (e.type === 'blob') out.set(child.slice(prefix.length + 1), Buffer.from((await git.readBlob({ fs: gitFs, dir, oid: e.oid })).blob).toString('utf8'));
    }
  };
  await walk(prefix);
  return out;
}

/** Writes the files as git objects (nothing in the work tree or the index) and returns the tree. */
async function writeTree(dir: string, files: Map<string, string>): Promise<string> {
  interface Dir {
    files: Map<string, string>;
    dirs: Map<string, Dir>;
  }
  const root: Dir = { files: new Map(), dirs: new Map() };
  for (const [path, text] of files) {
    const parts = path.split('/');
    let d = root;
    for (const part of parts.slice(0, -1)) {
      let next = d.dirs.get(part);
      if (!next) d.dirs.set(part, (next = { files: new Map(), dirs: new Map() }));
      d = next;
    }
    d.files.set(parts.at(-1)!, text);
  }
  const write = async (d: Dir): Promise<string> => {
    const entries: { mode: string; path: string; oid: string; type: 'blob' | 'tree' }[] = [];
    for (const [name, text] of d.files) entries.push({ mode: '100644', path: name, type: 'blob', oid: await git.writeBlob({ fs: gitFs, dir, blob: Buffer.from(text, 'utf8') }) });
    for (const [name, sub] of d.dirs) entries.push({ mode: '040000', path: name, type: 'tree', oid: await write(sub) });
    return git.writeTree({ fs: gitFs, dir, tree: entries });
  };
  return write(root);
}

async function readText(dir: string, oid: string, filepath: string): Promise<string | null> {
  try {
    const { blob } = await git.readBlob({ fs: gitFs, dir, oid, filepath });
    return Buffer.from(blob).toString('utf8');
  } catch {
    return null;
  }
}

const lineageSchema = z.strictObject({ hash: z.string().regex(/^[0-9a-f]{8,64}$/), seen: z.array(z.string().regex(/^[0-9a-f]{8,64}$/)) });
const lineagesSchema = z.record(z.string().regex(RULE_ID), z.strictObject({ text: lineageSchema, decision: lineageSchema }));
const incidentsSchema = z.object({
  incidents: z.array(
    z.object({
      fingerprint: z.string().min(1),
      signature: z.string(),
      category: z.string(),
      key: z.string().optional(),
      count: z.number().int().min(0),
      sessions: z.number().int().min(0),
      firstSeen: z.string(),
      lastSeen: z.string(),
      rules: z.array(z.string()),
      daily: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.number().int().min(0)).optional(),
    }),
  ),
});

const factsSchema = z.object({
  facts: z.array(z.object({ id: z.string().regex(/^[0-9a-f]{16}$/), statement: z.string().min(3).max(500), category: z.enum(['preference', 'lesson', 'decision']) })),
});

/** One member's shared state from its fetched commit; anything malformed is refused, naming the member and the file. */
async function readMember(dir: string, member: string, commit: string): Promise<MemberState> {
  const refuse = (file: string, why: string) => new UserError(`The shared state of member ${member} (commit ${commit.slice(0, 7)}) is not readable: ${file}: ${why}. Nothing was changed in the workspace; that member's next sync writes it again.`);
  const json = async (file: string, fallback: string) => {
    const text = (await readText(dir, commit, file)) ?? fallback;
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw refuse(file, (err as Error).message);
    }
  };
  const lineages = lineagesSchema.safeParse(await json('shared/rules.json', '{}'));
  if (!lineages.success) throw refuse('shared/rules.json', lineages.error.issues[0]?.message ?? 'invalid');
  const rules: SharedRule[] = [];
  for (const [id, lineage] of Object.entries(lineages.data)) {
    const file = ruleFileName(id);
    const text = await readText(dir, commit, file);
    if (text === null) continue;
    let parsed: Rule;
    try {
      parsed = parseRule(text, `${member}:${file}`);
    } catch (err) {
      throw refuse(file, err instanceof Error ? err.message : String(err));
    }
    if (parsed.id !== id) throw refuse(file, `its id is ${parsed.id}`);
    const { file: _file, ...rule } = parsed;
    rules.push({ rule, lineage });
  }
  const incidents = incidentsSchema.safeParse(await json('shared/incidents.json', '{"incidents":[]}'));
  if (!incidents.success) throw refuse('shared/incidents.json', incidents.error.issues[0]?.message ?? 'invalid');
  // Skills: every folder under skills/ with a valid name; a member that shared no lineage (an
  // earlier nevo-tui) shares each skill as a version with no history.
  const skillLineages = z.object({ lineage: z.record(z.string(), lineageSchema).optional() }).safeParse(await json('shared/skills.json', '{}'));
  if (!skillLineages.success) throw refuse('shared/skills.json', skillLineages.error.issues[0]?.message ?? 'invalid');
  const byName = new Map<string, Record<string, string>>();
  for (const [rel, text] of await treeFiles(dir, commit, 'skills')) {
    const [name, ...rest] = rel.split('/');
    const inner = rest.join('/');
    if (!name || !SKILL_NAME.test(name) || !rest.length || !skillPathOk(inner)) continue;
    byName.set(name, { ...byName.get(name), [inner]: text });
  }
  const skills = [...byName].map(([name, files]) => ({ name, files, lineage: skillLineages.data.lineage?.[name] ?? { hash: skillHash(files), seen: [] } }));
  // A member of an earlier nevo-tui shares no facts.
  const facts = factsSchema.safeParse(await json('shared/facts.json', '{"facts":[]}'));
  if (!facts.success) throw refuse('shared/facts.json', facts.error.issues[0]?.message ?? 'invalid');
  return { member, commit, rules, incidents: incidents.data.incidents, skills, facts: facts.data.facts };
}

/** The config file's text with `sync.remote` set, the rest as it was. */
function withRemote(text: string, remote: string): string {
  const raw = (text.trim() ? JSON.parse(text) : {}) as Record<string, unknown>;
  const sync = (raw.sync && typeof raw.sync === 'object' ? raw.sync : {}) as Record<string, unknown>;
  raw.sync = { ...sync, remote };
  return stableJson(raw);
}

/** The first day whose counts a member shares. */
function sharedSince(ws: Workspace): string {
  return addDays(dayOf(ws.clock(), ws.config.timeZone), -(SHARED_DAYS - 1));
}

/** What this workspace's person reviewed and shares: see sharedFacts. */
function ownFacts(facts: readonly Fact[]): SharedFact[] {
  return sharedFacts(facts.map((f) => ({ ...f, trusted: isTrusted(provenanceOf(f)) })));
}

function floorOf(seqs: { id: string; last: number }[]): { PROJ: number; AGENT: number } {
  return { PROJ: seqs.find((s) => s.id === 'PROJ')?.last ?? 0, AGENT: seqs.find((s) => s.id === 'AGENT')?.last ?? 0 };
}

export async function sync(ws: Workspace, opts: SyncOptions = {}): Promise<SyncResult> {
  const remote = opts.remote ?? ws.config.sync.remote;
  if (!remote) throw new UserError('No remote to sync with. Give one once: `nevo-tui sync --remote https://github.com/OWNER/REPO.git` (any git server over HTTPS: GitHub, GitLab, Gitea); it is kept in config.json as sync.remote. Name the environment variable that holds the token in config.json (sync.tokenEnv).');
  if (/^https?:\/\/[^/]*@/.test(remote)) throw new UserError(`${showRemote(remote)}: give the URL without a user or token in it (it would be written to config.json); put the token in an environment variable and name the variable in config.json (sync.tokenEnv).`);
  if (!/^https?:\/\/\S+$/.test(remote)) throw new UserError(`${remote}: not an http(s) URL of a git repository.`);
  const member = syncMember(ws.config);
  const dir = ws.root;

  if (opts.dryRun) {
    const state = readState(readTextFile(ws, STATE_FILE));
    const own = ownShared(loadRules(ws.root).rules, state, member);
    const incidents = sharedIncidents(await ws.store.incidents.list(), sharedSince(ws));
    const share = ws.config.sync.share;
    const tree = sharedTree(own, share.incidents ? incidents : [], { skills: share.skills ? ownSkills(skillFiles(ws), state) : [], inventory: share.skills ? await ws.store.skills.list() : [] }, member, share.facts ? ownFacts(await ws.store.facts.list()) : []);
    return { ...emptyResult(remote, member, true), files: outgoing(tree), team: teamCounts(member, incidents, state.members), conflicts: state.conflicts };
  }

  const creds = syncAuth(ws.config.sync.tokenEnv);
  const { onAuth, onAuthSuccess, onAuthFailure } = creds;
  // The network first: a remote that cannot be reached changes nothing here.
  let refs: { ref: string; oid: string }[];
  try {
    refs = await git.listServerRefs({ http, url: remote, onAuth, onAuthSuccess, onAuthFailure, prefix: MEMBER_PREFIX, forPush: false });
  } catch (err) {
    throw networkError(ws, remote, err, 'listing its branches', creds.source);
  }
  const fetched: MemberState[] = [];
  for (const ref of refs.filter((r) => r.ref.startsWith(MEMBER_PREFIX)).sort((a, b) => a.ref.localeCompare(b.ref))) {
    const name = ref.ref.slice(MEMBER_PREFIX.length);
    if (name === member || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(name)) continue;
    const have = () =>
      git.readCommit({ fs: gitFs, dir, oid: ref.oid }).then(
        () => true,
        () => false,
      );
    if (!(await have())) {
      try {
        await fetchRemote(dir, remote);
        await git.fetch({ fs: gitFs, http: fetchHttp, dir, remote: SYNC_REMOTE, url: remote, onAuth, onAuthSuccess, onAuthFailure, ref: ref.ref, singleBranch: true, tags: false });
      } catch (err) {
        if (!(await have())) throw networkError(ws, remote, err, `fetching ${ref.ref}`, creds.source);
      }
    }
    fetched.push(await readMember(dir, name, ref.oid));
  }
  const ownRemote = refs.find((r) => r.ref === `${MEMBER_PREFIX}${member}`)?.oid ?? null;
  await pausePoint('sync:fetched');

  const before = await ws.history.head();
  const result = await ws.store.transact(
    async (tx) => {
      let state = readState(tx.readText(STATE_FILE));
      let resolved: SyncConflict[] = [];
      let localRules = loadRules(ws.root).rules;
      if (opts.resolve) {
        const done = settleNamed(state, localRules, opts.resolve, opts.keep ?? 'mine', opts.from);
        ({ state, settled: resolved } = done);
        const updated = done.rule;
        if (updated) localRules = localRules.map((r) => (r.id === updated.id ? updated : r));
      }
      const own = ownShared(localRules, state, member, await earlierTexts(ws, localRules.filter((r) => !state.rules[r.id]).map((r) => r.id), state.head));
      const share = ws.config.sync.share;
      // A part not shared is neither sent nor taken in.
      const fromOthers = fetched.map((m) => ({ ...m, skills: share.skills ? m.skills : [], incidents: share.incidents ? m.incidents : [] }));
      const merged = mergeShared({ self: member, own, ownSkills: share.skills ? ownSkills(skillFiles(ws), state) : [], others: fromOthers, state, floor: floorOf(await tx.sequences.list()) });
      const incidents = await tx.incidents.list();
      // The counts pushed name the rules as they are after this merge: a rule of ours that moved
      // to another id takes its incidents' links with it, or the others would read them under the id it left.
      const moves = new Map(merged.renamed.map((m) => [m.from, m.to]));
      const ownCounts = sharedIncidents(moves.size ? incidents.map((i) => (i.rules.some((id) => moves.has(id)) ? { ...i, rules: i.rules.map((id) => moves.get(id) ?? id) } : i)) : incidents, sharedSince(ws));
      const localFacts = await tx.facts.list();
      const tree = sharedTree(merged.rules, share.incidents ? ownCounts : [], { skills: merged.skills, inventory: share.skills ? await tx.skills.list() : [] }, member, share.facts ? ownFacts(localFacts) : []);

      // Push before anything is written here: a refused push leaves the workspace as it was.
      const treeOid = await writeTree(dir, tree);
      let pushed = false;
      const ownTree = ownRemote ? await git.readCommit({ fs: gitFs, dir, oid: ownRemote }).then((c) => c.commit.tree, () => null) : null;
      if (ownTree !== treeOid) {
        const parent = ownTree !== null && ownRemote ? [ownRemote] : [];
        const timestamp = Math.floor(ws.clock().getTime() / 1000);
        const who = { ...ws.config.author, timestamp, timezoneOffset: 0 };
        const commit = await git.writeCommit({ fs: gitFs, dir, commit: { tree: treeOid, parent, author: who, committer: who, message: `sync: shared state of ${member}\n` } });
        await git.writeRef({ fs: gitFs, dir, ref: LOCAL_REF, value: commit, force: true });
        try {
          const res = await git.push({ fs: gitFs, http, dir, url: remote, onAuth, onAuthSuccess, onAuthFailure, ref: LOCAL_REF, remoteRef: `${MEMBER_PREFIX}${member}`, force: true });
          if (!res.ok) throw Object.assign(new Error(res.error ?? 'refused'), { code: 'PushRejectedError' });
        } catch (err) {
          throw networkError(ws, remote, err, `pushing ${MEMBER_PREFIX}${member}`, creds.source);
        }
        pushed = true;
      }
      await pausePoint('sync:pushed');

      // Then the others' state comes in, in this one change.
      const byId = new Map(localRules.map((r) => [r.id, r]));
      const finalIds = new Set(merged.rules.map((r) => r.rule.id));
      const changedFiles: string[] = [];
      for (const r of merged.rules) {
        const file = ruleFileName(r.rule.id);
        const text = serialise(r);
        if (tx.readText(file) !== text) {
          writeRule(tx, r.rule);
          changedFiles.push(file);
        }
      }
      for (const id of byId.keys()) if (!finalIds.has(id)) tx.writeFile(ruleFileName(id), null);
      // Skills that came in or changed: their folders as the merge has them (a file the new
      // version no longer has goes). Deploying one stays a person's decision here.
      const local = skillFiles(ws);
      for (const k of merged.skills.filter((x) => merged.skillsIn.added.includes(x.name) || merged.skillsIn.updated.includes(x.name))) {
        for (const rel of Object.keys(local.get(k.name) ?? {})) if (!(rel in k.files)) tx.writeFile(`skills/${k.name}/${rel}`, null);
        for (const [rel, text] of Object.entries(k.files)) tx.writeFile(`skills/${k.name}/${rel}`, text);
      }
      if (moves.size) {
        const touched = incidents.filter((i) => i.rules.some((id) => moves.has(id)));
        for (const i of touched) i.rules = i.rules.map((id) => moves.get(id) ?? id);
        await tx.incidents.upsert(touched);
      }
      // Ids that came in are never handed out again here.
      const high = floorOf(await tx.sequences.list());
      const used = { PROJ: 0, AGENT: 0 };
      for (const r of merged.rules) {
        const m = RULE_ID.exec(r.rule.id);
        if (m) used[m[1] as 'PROJ' | 'AGENT'] = Math.max(used[m[1] as 'PROJ' | 'AGENT'], Number(m[2]));
      }
      const seqs = (['PROJ', 'AGENT'] as const).filter((p) => used[p] > high[p]).map((p) => ({ id: p, last: used[p] }));
      if (seqs.length) await tx.sequences.upsert(seqs);
      // Where the history was read up to moves only with a change: a sync that brings nothing new writes nothing.
      if (stableJson(merged.state) !== stableJson({ ...readState(tx.readText(STATE_FILE)), head: undefined }) && before) merged.state.head = before;
      else if (state.head) merged.state.head = state.head;
      const stateText = stableJson(merged.state);
      if (tx.readText(STATE_FILE) !== stateText) tx.writeFile(STATE_FILE, stateText);
      if (opts.remote && opts.remote !== ws.config.sync.remote) tx.writeFile('config.json', withRemote(tx.readText('config.json'), opts.remote));
      if (changedFiles.length || merged.renamed.length) {
        const rules: Rule[] = merged.rules.map((r) => ({ ...r.rule, file: ruleFileName(r.rule.id) }));
        exportRules(ws, rules, tx);
      }
      // The others' reviewed facts wait in Review here: a teammate's word is not this person's until they take it.
      const forgotten = await tx.forgotten.ids();
      const known = new Set([...localFacts.map((f) => f.id), ...[...forgotten].filter((x) => x.startsWith('fact:')).map((x) => x.slice(5))]);
      const incoming = share.facts ? incomingFacts(fetched, known) : [];
      const now = ws.clock().toISOString();
      const { added: factsIn } = await recordFacts(tx, incoming.map((f) => ({ statement: f.statement, category: f.category, confidence: 1, time: now, source: { by: teamFinder(f.member) }, provenance: 'teammate' as const })), ws.config.memory.ttlDays, forgotten);
      const decisions = incoming.filter((f) => f.category === 'decision' && factsIn.includes(f.id)).map((f) => f.id);
      for (const id of decisions) await tx.facts.update(id, (r) => void (r.pending = true));
      const others = fetched.map((m) => m.member);
      const parts = [
        merged.added.length ? `${merged.added.length} rule(s) added` : '',
        merged.updated.length ? `${merged.updated.length} updated` : '',
        merged.renamed.length ? `${merged.renamed.length} renumbered` : '',
        merged.merged.length ? `${merged.merged.length} merged as the same mistake` : '',
        merged.skillsIn.added.length + merged.skillsIn.updated.length ? `skills ${[...merged.skillsIn.added, ...merged.skillsIn.updated].join(', ')}` : '',
        merged.conflicts.length ? `${merged.conflicts.length} conflict(s)` : '',
        factsIn.length ? `${factsIn.length} fact(s) to review` : '',
      ].filter(Boolean);
      tx.message('sync', `${parts.join(', ') || 'team state'} from ${others.join(', ') || 'no other member'}`, [...merged.added, ...merged.updated]);
      return {
        remote,
        member,
        dryRun: false,
        files: outgoing(tree),
        pushed,
        members: others,
        added: merged.added,
        updated: merged.updated,
        renamed: merged.renamed,
        collisions: merged.collisions,
        merged: merged.merged,
        skills: merged.skillsIn,
        conflicts: merged.conflicts,
        resolved,
        team: teamCounts(member, ownCounts, merged.state.members),
        facts: factsIn,
      } satisfies Omit<SyncResult, 'commit'>;
    },
    { purpose: 'nevo-tui sync' },
  );
  const head = await ws.history.head();
  return { ...result, commit: head !== before ? head : null };
}

/**
 * The hashes of the texts the rules `ids` had before their edits since commit `since` (all of
 * history when there is none): each `rules: edit ID` commit's parent holds the text it replaced.
 * Only commit objects are read, newest first, up to `since`.
 */
async function earlierTexts(ws: Workspace, ids: string[], since: string | undefined): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!ids.length) return out;
  const wanted = new Set(ids);
  let oid = await ws.history.head();
  while (oid && oid !== since) {
    const c = await ws.history.readCommit(oid);
    const parent = c.parents[0];
    const id = /^rules: edit ([A-Z]+-\d+)\b/.exec(c.subject)?.[1];
    if (id && parent && wanted.has(id)) {
      const text = await ws.history.readFileAt(parent, ruleFileName(id));
      if (text !== null) {
        try {
          const { file: _file, ...rule } = parseRule(text, ruleFileName(id));
          out.set(id, [...(out.get(id) ?? []), textHash(rule)]);
        } catch {
          // A version that does not parse was never shared: nothing to relate.
        }
      }
    }
    oid = parent ?? null;
  }
  return out;
}

function readTextFile(ws: Workspace, rel: string): string {
  try {
    return readFileSync(join(ws.root, rel), 'utf8');
  } catch {
    return '';
  }
}

function outgoing(tree: Map<string, string>): OutgoingFile[] {
  return [...tree].map(([path, text]) => ({ path, bytes: Buffer.byteLength(text) }));
}

function emptyResult(remote: string, member: string, dryRun: boolean): SyncResult {
  return { remote, member, dryRun, files: [], pushed: false, members: [], added: [], updated: [], renamed: [], collisions: [], merged: [], skills: { added: [], updated: [] }, conflicts: [], resolved: [], team: [], facts: [], commit: null };
}
