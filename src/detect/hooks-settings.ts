// Registers nevo-tui's hook in a Claude Code settings file (`hooks` → event → matcher groups →
// handlers). Pure: text in, text out. Every edit is one small splice computed on the parse tree,
// so every byte outside it (formatting, key order, other hooks, comments) stays as it was, and
// uninstalling what install appended gives back the original bytes.
import { join } from 'node:path';
import { applyEdits, getNodeValue, modify, parseTree, printParseErrorCode, type Edit, type JSONPath, type Node, type ParseError } from 'jsonc-parser';
import { UserError } from '../errors.js';
import type { HandlerSpec, HookPlan } from './hook-plan.js';

/**
 * The events nevo-tui listens to; `install` gives each the handlers its plan says (hook-plan.ts).
 * PreToolUse is where the guards of active rules block a call (exit 2) before it runs.
 */
export const NEVO_HOOK_EVENTS: readonly string[] = Object.freeze([
  'PostToolUse',
  'PostToolUseFailure',
  'Stop',
  'SubagentStop',
  'SessionStart',
  'SessionEnd',
  'UserPromptSubmit',
  'TaskCompleted',
  'PreToolUse',
]);

/**
 * Events only versions that know them get, when the plan names them (an event name an older
 * Claude Code does not know could make it refuse the whole file): InstructionsLoaded says which
 * rules reached the agent.
 */
export const VERSIONED_EVENTS: readonly string[] = Object.freeze(['InstructionsLoaded']);
/** Every event install may write: the ones every version gets, then the versioned ones. */
export const ALL_NEVO_EVENTS: readonly string[] = Object.freeze([...NEVO_HOOK_EVENTS, ...VERSIONED_EVENTS]);

/** Seconds Claude Code waits for the handler; `nevo-tui hook` returns in milliseconds. */
export const NEVO_HOOK_TIMEOUT = 10;

export type Scope = 'project' | 'local' | 'user';
export const SCOPES: readonly Scope[] = Object.freeze(['project', 'local', 'user'] as const);

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The settings file a scope edits (Claude Code hooks reference, "Hook locations"). */
export function settingsPath(scope: Scope, projectRoot: string, home: string): string {
  switch (scope) {
    case 'project':
      return join(projectRoot, '.claude', 'settings.json');
    case 'local':
      return join(projectRoot, '.claude', 'settings.local.json');
    case 'user':
      return join(home, '.claude', 'settings.json');
  }
}

/**
 * The comment that ends every handler command install writes: `<command> # nevo-tui-hook
 * created=<what>`. The shell Claude Code runs hooks in ignores it (and `nevo-tui hook` ignores
 * extra arguments anyway), so it marks nevo-tui's handlers whatever path the command runs from,
 * and records what install created for that handler, so uninstall removes exactly that:
 * - `group`: a matcher group appended to an event array that was already there;
 * - `event`: the event's array (the `hooks` object was there);
 * - `hooks`: the `hooks` object (the file was there, without one);
 * - `file`: the file (there was none);
 * - `blank:<base64url>`: everything; the file held only this whitespace.
 * A ` ws=<base64url>` after `group`, `event` or `hooks` keeps the whitespace that was inside the
 * container install filled (`[ ]`, `{\n}`), which uninstall puts back when it empties it again.
 */
export const NEVO_MARKER = '# nevo-tui-hook';

/** What install created for a handler (see NEVO_MARKER). */
export type Created =
  | { kind: 'group' | 'event' | 'hooks'; ws?: string }
  | { kind: 'file' }
  | { kind: 'blank'; text: string };

const MARKED = / # nevo-tui-hook created=([A-Za-z0-9_:-]*)(?: ws=([A-Za-z0-9_-]*))?$/;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** `command` with nevo-tui's marker recording what install created for it. */
export function markCommand(command: string, created: Created): string {
  const tag = created.kind === 'blank' ? `blank:${b64(created.text)}` : created.kind;
  const ws = 'ws' in created && created.ws ? ` ws=${b64(created.ws)}` : '';
  return `${baseCommand(command)} ${NEVO_MARKER} created=${tag}${ws}`;
}

/** A marked command's command and what install created for it; undefined when it has no marker. */
export function parseMarkedCommand(command: unknown): { base: string; created: Created; tag: string } | undefined {
  if (typeof command !== 'string') return undefined;
  const trimmed = command.trim();
  const m = MARKED.exec(trimmed);
  if (!m) return undefined;
  const tag = trimmed.slice(m.index + ` ${NEVO_MARKER} created=`.length);
  return { base: trimmed.slice(0, m.index).trim(), created: parseCreated(m[1] ?? '', m[2]), tag };
}

/** Whitespace encoded by install, or undefined when `data` is not that. */
function decodeBlank(data: string, jsonOnly: boolean): string | undefined {
  const text = Buffer.from(data, 'base64url').toString('utf8');
  const blank = jsonOnly ? /^[ \t\r\n]+$/.test(text) : text.trim() === '';
  return blank && b64(text) === data ? text : undefined;
}

/** A tag install never writes removes the least: the handler and its group. */
function parseCreated(tag: string, ws: string | undefined): Created {
  if (tag === 'file') return { kind: tag };
  if (tag === 'group' || tag === 'event' || tag === 'hooks') {
    const inside = ws === undefined ? undefined : decodeBlank(ws, true);
    return inside === undefined ? { kind: tag } : { kind: tag, ws: inside };
  }
  if (tag.startsWith('blank:')) {
    // Only whitespace is ever given back; anything else was not written by install.
    const text = decodeBlank(tag.slice('blank:'.length), false);
    return text === undefined ? { kind: 'hooks' } : { kind: 'blank', text };
  }
  return { kind: 'group' };
}

/** The command without nevo-tui's marker, trimmed. */
function baseCommand(command: string): string {
  return parseMarkedCommand(command)?.base ?? command.trim();
}

/**
 * A handler written before handlers were marked, recognised by its exact shape only: `nevo-tui
 * hook` (the program's file name exactly `nevo-tui`), or `"<node>" "<path with nevo-tui>" hook`.
 */
function isLegacyNevoCommand(command: string): boolean {
  const c = command.trim();
  const bare = /^(?:"([^"\\]+)"|([^\s"'\\]+))[ \t]+hook$/.exec(c);
  const program = bare?.[1] ?? bare?.[2];
  if (program !== undefined && program.split(/[\\/]/).pop() === 'nevo-tui') return true;
  const node = /^"(?:[^"\\]|\\.)*"[ \t]+"((?:[^"\\]|\\.)*)"[ \t]+hook$/.exec(c);
  return node?.[1]?.includes('nevo-tui') === true;
}

/** nevo-tui's handler: a command with nevo-tui's marker, or in the shape of an older unmarked one. */
export function isNevoCommand(command: unknown): boolean {
  if (typeof command !== 'string') return false;
  return parseMarkedCommand(command) !== undefined || isLegacyNevoCommand(command);
}

/** `"<node>" "<cli.js>" hook`, quoted for the POSIX shell Claude Code runs commands in. */
export function nodeHookCommand(execPath: string, cliPath: string): string {
  const quote = (s: string) => `"${s.replace(/["$`]/g, '\\$&')}"`;
  return `${quote(execPath)} ${quote(cliPath)} hook`;
}

/** The matcher group install appends; no matcher, so it matches everything. */
export function nevoGroup(command: string, specs: readonly HandlerSpec[] = [{}]): { hooks: NevoHandlerJson[] } {
  return { hooks: specs.map((spec) => handlerJson(command, spec)) };
}

export interface NevoHandlerJson {
  type: 'command';
  command: string;
  timeout: number;
  async?: true;
  if?: string;
}

function handlerJson(command: string, spec: HandlerSpec): NevoHandlerJson {
  return { type: 'command', command, timeout: NEVO_HOOK_TIMEOUT, ...(spec.async ? { async: true as const } : {}), ...(spec.if ? { if: spec.if } : {}) };
}

/** What every version reads: one foreground handler for each event. */
export const LEGACY_PLAN: HookPlan = Object.freeze(Object.fromEntries(NEVO_HOOK_EVENTS.map((e) => [e, [{}]])));

/**
 * The Claude Code version the entries were written for rides in the command as a shell comment
 * before nevo's marker (`<command> # claude-code=2.1.332 # nevo-tui-hook created=file`), so a
 * later refresh (new guards) writes the same form, and older nevo-tui versions still read the
 * marker at the end.
 */
const VERSION_NOTE = / # claude-code=(\d+\.\d+\.\d+)$/;

export function withClaudeVersion(command: string, version: string | null): string {
  const base = stripClaudeVersion(baseCommand(command));
  return version ? `${base} # claude-code=${version}` : base;
}

export function stripClaudeVersion(base: string): string {
  return base.replace(VERSION_NOTE, '');
}

export function claudeVersionOf(base: string): string | null {
  return VERSION_NOTE.exec(base)?.[1] ?? null;
}

export interface EventStatus {
  event: string;
  installed: boolean;
}

/**
 * Gives every event of NEVO_HOOK_EVENTS nevo-tui's matcher group as `plan` says (LEGACY_PLAN:
 * one foreground handler each), each handler marked (NEVO_MARKER) and running `command`. A group
 * nevo-tui wrote before is rewritten in place when it differs (another path, another form, other
 * guards) and keeps what its marker recorded; an event the plan leaves out loses nevo-tui's group,
 * and the event array too when install had created it. An unmarked handler of an older version is
 * left as it is. Returns the new text (the same text when nothing changed). `text` null (no file)
 * or blank means `{}`. `file` only names the file in error messages. Throws UserError on invalid
 * JSON or shape.
 */
export function installHooks(text: string | null, file: string, command: string, plan: HookPlan = LEGACY_PLAN): string {
  const base = baseCommand(command);
  const blank = text !== null && text.trim() === '';
  const { bom, body } = splitBom(text === null || blank ? '{}\n' : text);
  const style = detectStyle(body);
  const specs = (event: string) => plan[event] ?? [];
  let out = body;
  let doc = load(out, file);
  if (!doc.hooks) {
    const created: Created = text === null ? { kind: 'file' } : blank ? { kind: 'blank', text } : { kind: 'hooks', ws: blankInside(out, doc.root) };
    const events = ALL_NEVO_EVENTS.filter((event) => specs(event).length);
    const all = Object.fromEntries(events.map((event) => [event, [nevoGroup(markCommand(base, created), specs(event))]]));
    return bom + applyEdits(out, [insertEdit(out, doc.root, ['hooks'], all, style)]);
  }
  for (const event of ALL_NEVO_EVENTS) {
    out = syncEvent(out, file, event, base, specs(event), style);
    doc = load(out, file);
  }
  return bom + out;
}

/** One event of installHooks. */
function syncEvent(text: string, file: string, event: string, base: string, specs: readonly HandlerSpec[], style: Style): string {
  const hooks = load(text, file).hooks!;
  const groups = valueOf(findProperty(hooks, event));
  const found = groups ? nevoHandlers(groups, base) : [];
  // An older version's unmarked handler: nothing records what install created for it.
  if (found.some((h) => h.tag === undefined)) return text;
  if (!specs.length) return found.length ? removeEventHandlers(text, file, event, base) : text;
  if (!groups) return applyEdits(text, [insertEdit(text, hooks, ['hooks', event], [nevoGroup(markCommand(base, { kind: 'event', ws: blankInside(text, hooks) }), specs)], style)]);
  const first = found[0];
  if (!first) return applyEdits(text, [insertEdit(text, groups, ['hooks', event, -1], nevoGroup(markCommand(base, { kind: 'group', ws: blankInside(text, groups) }), specs), style)]);
  const marked = `${base} ${NEVO_MARKER} created=${first.tag}`;
  const wanted = nevoGroup(marked, specs).hooks;
  const handlers = first.handlers;
  if (found.every((h) => h.handlers === handlers) && handlers.children?.length === found.length) {
    if (sameJson(getNodeValue(handlers), wanted)) return text;
    return applyEdits(text, [replaceEdit(text, handlers, wanted, style)]);
  }
  // nevo-tui's handlers share a group with others, or are spread over several: they go, and one group of nevo-tui's own comes.
  let out = text;
  for (;;) {
    const groupsNow = valueOf(findProperty(load(out, file).hooks!, event))!;
    const h = nevoHandlers(groupsNow, base)[0];
    if (!h) break;
    out = applyEdits(out, [h.handlers.children?.length === 1 ? removalEdit(out, h.group, groupsNow) : removalEdit(out, h.handler, h.handlers)]);
  }
  const groupsNow = valueOf(findProperty(load(out, file).hooks!, event))!;
  return applyEdits(out, [insertEdit(out, groupsNow, ['hooks', event, -1], nevoGroup(marked, specs), style)]);
}

/**
 * Removes nevo-tui's handlers from one event, with the groups they alone fill, and the event array
 * when install had created it and it is left empty; the `hooks` object and the file stay (the
 * other events hold nevo-tui's handlers still).
 */
function removeEventHandlers(text: string, file: string, event: string, base: string): string {
  let out = text;
  let dropEvent = false;
  let inside: string | undefined;
  for (;;) {
    const groups = valueOf(findProperty(load(out, file).hooks!, event));
    const h = groups ? nevoHandlers(groups, base)[0] : undefined;
    if (!groups || !h) break;
    const c = h.created;
    if (c?.kind === 'group') inside ??= c.ws;
    else dropEvent = true;
    out = applyEdits(out, [h.handlers.children?.length === 1 ? removalEdit(out, h.group, groups, inside) : removalEdit(out, h.handler, h.handlers)]);
  }
  const hooks = load(out, file).hooks!;
  const prop = findProperty(hooks, event);
  if (dropEvent && prop && valueOf(prop)?.children?.length === 0) out = applyEdits(out, [removalEdit(out, prop, hooks)]);
  return out;
}

/** The base command and Claude Code version of nevo-tui's marked handlers in the file, if it has any. */
export function installedCommand(text: string | null, file: string): { base: string; version: string | null } | undefined {
  if (text === null || text.trim() === '') return undefined;
  const doc = load(splitBom(text).body, file);
  for (const prop of doc.hooks?.children ?? []) {
    const groups = valueOf(prop);
    const found = groups ? nevoHandlers(groups, undefined).find((h) => h.tag !== undefined) : undefined;
    if (found) return { base: found.base, version: claudeVersionOf(found.base) };
  }
  return undefined;
}

/** Whether two JSON values are equal, object keys in any order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return sameJson(ka, kb) && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/**
 * Removes nevo-tui's handlers (from every event, not only NEVO_HOOK_EVENTS) with the matcher
 * group each one alone fills, then what their markers say install created: the event array and
 * the `hooks` object when now empty, and the file when nothing else is left in it. An unmarked
 * (older) handler takes along the event and `hooks` object it leaves empty. Everything else keeps
 * its bytes, so install followed by uninstall gives back the original text. Returns null when
 * there should be no file: `text` was null (no file), or install created the file. `command`, if
 * given, also counts as nevo-tui's.
 */
export function uninstallHooks(text: string | null, file: string, command?: string): string | null {
  if (text === null) return null;
  if (text.trim() === '') return text;
  const { bom, body } = splitBom(text);
  const base = command === undefined ? undefined : baseCommand(command);
  let out = body;
  /** Events whose array goes once empty: install created it, or an older handler emptied it. */
  const events = new Set<string>();
  /** Whitespace that was inside an event array, or the `hooks` object or the file, install filled. */
  const inside = new Map<string, string>();
  let hooksWs: string | undefined;
  let rootWs: string | undefined;
  let dropHooks = false;
  let restore: { text: string | null } | undefined;
  for (;;) {
    const found = firstNevoHandler(load(out, file), base);
    if (!found) break;
    const c = found.created;
    if (c?.kind !== 'group') events.add(found.event);
    if (c?.kind !== 'group' && c?.kind !== 'event') dropHooks = true;
    if (c?.kind === 'group' && c.ws !== undefined) inside.set(found.event, c.ws);
    if (c?.kind === 'event' && c.ws !== undefined) hooksWs ??= c.ws;
    if (c?.kind === 'hooks' && c.ws !== undefined) rootWs ??= c.ws;
    if (c?.kind === 'file') restore ??= { text: null };
    if (c?.kind === 'blank') restore ??= { text: c.text };
    out = applyEdits(out, [
      found.handlers.children?.length === 1
        ? removalEdit(out, found.group, found.groups, inside.get(found.event))
        : removalEdit(out, found.handler, found.handlers),
    ]);
  }
  for (;;) {
    const { hooks } = load(out, file);
    const emptied = hooks?.children?.find((p) => events.has(keyOf(p) ?? '') && valueOf(p)?.children?.length === 0);
    if (!hooks || !emptied) break;
    out = applyEdits(out, [removalEdit(out, emptied, hooks, hooksWs)]);
  }
  const { root, hooks } = load(out, file);
  const hooksProp = findProperty(root, 'hooks');
  if (dropHooks && hooksProp && hooks?.children?.length === 0) out = applyEdits(out, [removalEdit(out, hooksProp, root, rootWs)]);
  // The file install created goes (or gets its blank text back) only when nothing else is in it.
  if (restore && bom === '' && /^[ \t\r\n]*\{[ \t\r\n]*\}[ \t\r\n]*$/.test(out)) return restore.text;
  return bom + out;
}

export interface InstalledHandler {
  /** The command as written, marker included. */
  command: string;
  async: boolean;
  if?: string;
}

/** nevo-tui's handlers in the file, by event (file order). */
export function nevoHandlersByEvent(text: string | null, file: string, command?: string): Record<string, InstalledHandler[]> {
  const out: Record<string, InstalledHandler[]> = {};
  if (text === null || text.trim() === '') return out;
  const { hooks } = load(splitBom(text).body, file);
  const base = command === undefined ? undefined : baseCommand(command);
  for (const prop of hooks?.children ?? []) {
    const key = keyOf(prop);
    const groups = valueOf(prop);
    if (key === undefined || !groups) continue;
    const found = nevoHandlers(groups, base).map((h) => {
      const value = getNodeValue(h.handler) as Record<string, unknown>;
      return { command: String(value.command), async: value.async === true, ...(typeof value.if === 'string' ? { if: value.if } : {}) };
    });
    if (found.length) out[key] = found;
  }
  return out;
}

/** Whether nevo-tui's handler is registered, for each of NEVO_HOOK_EVENTS. */
export function hooksStatus(text: string | null, file: string, command?: string): EventStatus[] {
  const withNevo = new Set(eventsWithNevoHooks(text, file, command));
  return NEVO_HOOK_EVENTS.map((event) => ({ event, installed: withNevo.has(event) }));
}

/** Every event (in file order) that has a nevo-tui handler. */
export function eventsWithNevoHooks(text: string | null, file: string, command?: string): string[] {
  if (text === null || text.trim() === '') return [];
  const { hooks } = load(splitBom(text).body, file);
  const base = command === undefined ? undefined : baseCommand(command);
  const events: string[] = [];
  for (const prop of hooks?.children ?? []) {
    const key = keyOf(prop);
    const groups = valueOf(prop);
    if (key !== undefined && groups && nevoHandlers(groups, base).length) events.push(key);
  }
  return events;
}

// ---- parsing and validation ----

interface Doc {
  root: Node;
  /** The `hooks` object, if the file has one. */
  hooks: Node | undefined;
}

function load(text: string, file: string): Doc {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first || !root) {
    const where = first ? ` (line ${position(text, first.offset)}: ${describeParseError(first)})` : '';
    throw new UserError(`${file} is not valid JSON${where}; fix it by hand and run again (the file was not changed)`);
  }
  if (root.type !== 'object') throw shapeError(file, 'the top level', 'an object', root, text);
  const hooksProp = uniqueProperty(root, 'hooks', file, text, 'hooks');
  const hooks = valueOf(hooksProp);
  if (!hooks) return { root, hooks: undefined };
  if (hooks.type !== 'object') throw shapeError(file, '"hooks"', 'an object', hooks, text);
  const seen = new Set<string>();
  for (const prop of hooks.children ?? []) {
    const event = keyOf(prop) ?? '';
    if (seen.has(event)) throw new UserError(`${file}: "hooks.${event}" appears twice (line ${position(text, prop.offset)}); merge them and run again (the file was not changed)`);
    seen.add(event);
    const groups = valueOf(prop);
    if (!groups || groups.type !== 'array') throw shapeError(file, `"hooks.${event}"`, 'an array of matcher groups', groups ?? prop, text);
    (groups.children ?? []).forEach((group, g) => {
      const at = `hooks.${event}[${g}]`;
      if (group.type !== 'object') throw shapeError(file, `"${at}"`, 'an object', group, text);
      const handlers = valueOf(uniqueProperty(group, 'hooks', file, text, `${at}.hooks`));
      if (!handlers) return;
      if (handlers.type !== 'array') throw shapeError(file, `"${at}.hooks"`, 'an array of handlers', handlers, text);
      (handlers.children ?? []).forEach((handler, h) => {
        if (handler.type !== 'object') throw shapeError(file, `"${at}.hooks[${h}]"`, 'an object', handler, text);
      });
    });
  }
  return { root, hooks };
}

function uniqueProperty(obj: Node, key: string, file: string, text: string, field: string): Node | undefined {
  const props = (obj.children ?? []).filter((p) => keyOf(p) === key);
  const second = props[1];
  if (second) throw new UserError(`${file}: "${field}" appears twice (line ${position(text, second.offset)}); merge them and run again (the file was not changed)`);
  return props[0];
}

function shapeError(file: string, field: string, expected: string, node: Node, text: string): UserError {
  const found = node.type === 'property' ? 'nothing' : node.type === 'object' ? 'an object' : node.type === 'array' ? 'an array' : `a ${node.type}`;
  return new UserError(
    `${file}: ${field} must be ${expected}, found ${found} (line ${position(text, node.offset)}); fix it by hand and run again (the file was not changed)`,
  );
}

/** `L, column C`, both counted from 1. */
function position(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}, column ${offset - lineStart + 1}`;
}

const PARSE_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

function describeParseError(err: ParseError): string {
  const name = printParseErrorCode(err.error);
  return PARSE_ERRORS[name] ?? name;
}

function keyOf(prop: Node): string | undefined {
  const key = prop.children?.[0]?.value as unknown;
  return typeof key === 'string' ? key : undefined;
}

function valueOf(prop: Node | undefined): Node | undefined {
  return prop?.children?.[1];
}

function findProperty(obj: Node, key: string): Node | undefined {
  return obj.children?.find((p) => keyOf(p) === key);
}

function handlersOf(group: Node): Node | undefined {
  const handlers = group.type === 'object' ? valueOf(findProperty(group, 'hooks')) : undefined;
  return handlers?.type === 'array' ? handlers : undefined;
}

interface NevoHandler {
  handler: Node;
  /** The matcher group and its `hooks` array the handler is in (set by nevoHandlers). */
  group: Node;
  handlers: Node;
  /** The `command` string node. */
  command: Node;
  /** The command without the marker. */
  base: string;
  /** From the marker; undefined for an unmarked (older) handler. */
  created: Created | undefined;
  /** The marker's text after `created=`, as written. */
  tag: string | undefined;
}

/** The handler, if it is nevo-tui's: marked, in an older handler's shape, or running `base`. */
function nevoHandler(handler: Node, base: string | undefined): Omit<NevoHandler, 'group' | 'handlers'> | undefined {
  if (handler.type !== 'object') return undefined;
  const command = valueOf(findProperty(handler, 'command'));
  const value = command?.value as unknown;
  if (!command || typeof value !== 'string') return undefined;
  const marked = parseMarkedCommand(value);
  if (marked) return { handler, command, ...marked };
  if (isLegacyNevoCommand(value) || value.trim() === base) return { handler, command, base: value.trim(), created: undefined, tag: undefined };
  return undefined;
}

/** nevo-tui's handlers in an event's matcher groups, in file order. */
function nevoHandlers(groups: Node, base: string | undefined): NevoHandler[] {
  return (groups.children ?? []).flatMap((group) => {
    const handlers = handlersOf(group);
    return (handlers?.children ?? []).flatMap((h) => {
      const found = nevoHandler(h, base);
      return found && handlers ? [{ ...found, group, handlers }] : [];
    });
  });
}

// ---- edits ----

interface Style {
  eol: string;
  /** One level of indentation. */
  unit: string;
}

function splitBom(text: string): { bom: string; body: string } {
  return text.startsWith('\uFEFF') ? { bom: '\uFEFF', body: text.slice(1) } : { bom: '', body: text };
}

/** The file's line ending and indent unit (a tab, or its smallest indentation in spaces). */
function detectStyle(text: string): Style {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let smallest = Infinity;
  for (const line of text.split('\n')) {
    const indent = /^([ \t]+)\S/.exec(line)?.[1];
    if (!indent) continue;
    if (indent.startsWith('\t')) return { eol, unit: '\t' };
    smallest = Math.min(smallest, indent.length);
  }
  return { eol, unit: Number.isFinite(smallest) ? ' '.repeat(Math.min(smallest, 8)) : '  ' };
}

/** The whitespace inside an empty container, if there is any (`[ ]`, `{\n}`). */
function blankInside(text: string, container: Node): string | undefined {
  if (container.children?.length) return undefined;
  const inside = text.slice(container.offset + 1, container.offset + container.length - 1);
  return /^[ \t\r\n]+$/.test(inside) ? inside : undefined;
}

function lineStart(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  return nl + 1;
}

function indentOfLine(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset), offset))?.[0] ?? '';
}

function startsItsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/** JSON on one line: `{"a":[1]}`, or with `spaced`, `{ "a": [ 1 ] }`. */
function inlineJson(value: unknown, spaced: boolean): string {
  const s = spaced ? ' ' : '';
  if (Array.isArray(value)) return value.length ? `[${s}${value.map((v) => inlineJson(v, spaced)).join(`,${s}`)}${s}]` : '[]';
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? `{${s}${entries.map(([k, v]) => `${JSON.stringify(k)}:${s}${inlineJson(v, spaced)}`).join(`,${s}`)}${s}}` : '{}';
  }
  return JSON.stringify(value);
}

/**
 * The insertion `modify` computes for `path` (appended after the container's last child, or
 * into an empty container), with its compact JSON laid out like the surrounding file. Only the
 * inserted bytes are new; unlike `modify`'s own formatting, no existing line is re-indented.
 */
function insertEdit(text: string, container: Node, path: JSONPath, value: unknown, style: Style): Edit {
  const raw = modify(text, path, value, {})[0];
  if (!raw || raw.length !== 0) throw new Error(`unexpected edit for ${path.join('.')}`);
  const key = container.type === 'object' ? `${JSON.stringify(path[path.length - 1])}` : undefined;
  const children = container.children ?? [];
  const last = children[children.length - 1];
  const containerText = text.slice(container.offset, container.offset + container.length);
  const oneLineFile = !text.trimEnd().includes('\n');
  // One-line containers get one-line insertions; so do empty ones in a one-line file, except the root.
  const inline = last ? !containerText.includes('\n') : oneLineFile && container.parent !== undefined;
  if (inline) {
    const spaced = /\s/.test(text.charAt(container.offset + 1));
    const item = `${key !== undefined ? `${key}:${spaced ? ' ' : ''}` : ''}${inlineJson(value, spaced)}`;
    return { offset: raw.offset, length: 0, content: last ? `,${spaced ? ' ' : ''}${item}` : item };
  }
  const pretty = (indent: string) =>
    `${key !== undefined ? `${key}: ` : ''}${JSON.stringify(value, null, style.unit).split('\n').join(style.eol + indent)}`;
  if (last) {
    const indent = startsItsLine(text, last.offset) ? indentOfLine(text, last.offset) : indentOfLine(text, container.offset) + style.unit;
    return { offset: raw.offset, length: 0, content: `,${style.eol}${indent}${pretty(indent)}` };
  }
  const outer = indentOfLine(text, container.offset);
  const indent = outer + style.unit;
  const inside = text.slice(container.offset + 1, container.offset + container.length - 1);
  // An empty container's whitespace is replaced; anything else in it (a comment) is kept after.
  const blank = /^\s*$/.test(inside);
  return {
    offset: container.offset + 1,
    length: blank ? inside.length : 0,
    content: `${style.eol}${indent}${pretty(indent)}${blank ? `${style.eol}${outer}` : ''}`,
  };
}

/** `node` replaced by `value`, laid out as insertEdit would have written it there. */
function replaceEdit(text: string, node: Node, value: unknown, style: Style): Edit {
  const current = text.slice(node.offset, node.offset + node.length);
  if (!current.includes('\n')) return { offset: node.offset, length: node.length, content: inlineJson(value, /\s/.test(current.charAt(1))) };
  const indent = indentOfLine(text, node.offset);
  return { offset: node.offset, length: node.length, content: JSON.stringify(value, null, style.unit).split('\n').join(style.eol + indent) };
}

/** The first nevo-tui handler in the file, with the containers around it. */
function firstNevoHandler(
  doc: Doc,
  base: string | undefined,
): (NevoHandler & { event: string; groups: Node }) | undefined {
  for (const eventProp of doc.hooks?.children ?? []) {
    const groups = valueOf(eventProp);
    for (const group of groups?.children ?? []) {
      const handlers = handlersOf(group);
      for (const h of handlers?.children ?? []) {
        const found = nevoHandler(h, base);
        if (found && groups && handlers) return { ...found, event: keyOf(eventProp) ?? '', groups, group, handlers };
      }
    }
  }
  return undefined;
}

/**
 * Removes one element or property with its separator: the last one together with the comma
 * and whitespace before it, any other together with the comma and whitespace after it (an only
 * child: see onlyChildRemoval). This is the exact inverse of insertEdit's
 * append, so install followed by uninstall gives back the original bytes.
 */
function removalEdit(text: string, node: Node, container: Node, inside?: string): Edit {
  const children = container.children ?? [];
  const i = children.indexOf(node);
  const prev = children[i - 1];
  const next = children[i + 1];
  if (children.length === 1) {
    const edit = onlyChildRemoval(text, node, container);
    // Emptied entirely: the whitespace install found inside goes back.
    const whole = edit.offset === container.offset + 1 && edit.offset + edit.length === container.offset + container.length - 1;
    return whole && inside !== undefined ? { ...edit, content: inside } : edit;
  }
  if (!next && prev) return { offset: prev.offset + prev.length, length: node.offset + node.length - (prev.offset + prev.length), content: '' };
  if (next) return { offset: node.offset, length: next.offset - node.offset, content: '' };
  throw new Error('node is not a child of its container');
}

/**
 * An only child goes with the whitespace around it (and a trailing comma), leaving `{}` or
 * `[]`; a comment before it stays, with the line break that followed the comment.
 */
function onlyChildRemoval(text: string, node: Node, container: Node): Edit {
  const open = container.offset + 1;
  const close = container.offset + container.length - 1;
  let start = node.offset;
  while (start > open && /\s/.test(text.charAt(start - 1))) start--;
  let end = node.offset + node.length;
  let after = end;
  while (after < close && /\s/.test(text.charAt(after))) after++;
  if (text.charAt(after) === ',') end = after + 1;
  after = end;
  while (after < close && /\s/.test(text.charAt(after))) after++;
  if (start === open && after === close) end = close;
  return { offset: start, length: end - start, content: '' };
}
