#!/usr/bin/env node
// Turns a Claude Code session transcript (JSONL) or a hook log (a JSON array of hook payloads, or
// JSONL of them) into corpus lines: one JSON object per tool call, in the order they happened,
// with only what the analysis bench needs (the call, the trimmed error, session, time).
// Usage: node bench/corpus/extract.mjs FILE --source ID [--session-prefix P] > out.jsonl
// FILE may also be a CLASI subagent log (markdown ending in a "# Raw JSON Transcript" array, or, in
// the older layout, a "## Transcript" section holding the array in a json code block).
// Failed calls get an empty label to fill in by hand: {"actionable": null, "noise": null, "class": null}.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args[0];
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const source = opt('--source');
if (!file || !source) {
  console.error('usage: extract.mjs FILE --source ID');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const ERROR_CHARS = 1500;

const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const contentText = (c) => typeof c === 'string' ? c : Array.isArray(c) ? c.map((b) => (isObj(b) && typeof b.text === 'string' ? b.text : '')).filter(Boolean).join('\n') : '';
const KEEP_INPUT = ['command', 'file_path', 'notebook_path', 'path', 'pattern', 'url', 'query', 'description', 'old_string', 'new_string', 'replace_all', 'offset', 'limit', 'glob', 'prompt', 'subagent_type', 'skill', 'timeout', 'run_in_background'];
function trimInput(input) {
  if (!isObj(input)) return input;
  const out = {};
  for (const k of KEEP_INPUT) {
    if (!(k in input)) continue;
    const v = input[k];
    out[k] = typeof v === 'string' ? (k === 'command' ? v.slice(0, 2000) : v.slice(0, 300)) : v;
  }
  if ('content' in input && typeof input.content === 'string') out.content = `<${input.content.length} chars>`;
  return out;
}
const trimError = (e) => (e.length > ERROR_CHARS ? `${e.slice(0, ERROR_CHARS)}\n…[${e.length - ERROR_CHARS} more chars]` : e);

const calls = [];
let entries = [];
const trimmed = text.trim();
// CLASI subagent logs (docs/clasi/log/*.md) are markdown with the transcript appended as a JSON
// array under "# Raw JSON Transcript"; only that array is read. Older CLASI logs put the array in a
// json code block right under "## Transcript" instead.
const OLD_CLASI = '\n## Transcript\n\n```json\n[';
const rawAt = trimmed.startsWith('[') || trimmed.startsWith('{') ? -1
  : text.includes('# Raw JSON Transcript') ? text.indexOf('# Raw JSON Transcript') : text.indexOf(OLD_CLASI);
if (rawAt >= 0) {
  const rest = text.slice(rawAt);
  const start = rest.indexOf('\n[');
  const body = start >= 0 ? rest.slice(start + 1) : '[]';
  const end = body.search(/\n\]\s*(\n|$)/);
  entries = JSON.parse(end >= 0 ? body.slice(0, end + 2) : body);
} else if (trimmed.startsWith('[')) entries = JSON.parse(trimmed);
else for (const line of text.split('\n')) { if (line.trim()) { try { entries.push(JSON.parse(line)); } catch {} } }

const pending = new Map();
for (const e of entries) {
  if (!isObj(e)) continue;
  if (typeof e.hook_event_name === 'string') {
    // Hook payload logs.
    const kind = e.hook_event_name;
    if (kind !== 'PostToolUse' && kind !== 'PostToolUseFailure') continue;
    const r = e.tool_response;
    const failed = kind === 'PostToolUseFailure';
    const call = { session: e.session_id, time: e.timestamp ?? null, tool: e.tool_name, input: trimInput(e.tool_input), ok: !failed };
    if (failed) {
      call.error = trimError(String(e.error ?? ''));
      if (e.is_interrupt) call.interrupt = true;
    } else if (isObj(r) && r.interrupted === true) call.interrupt = true;
    calls.push(call);
    continue;
  }
  const msg = e.message;
  if (!isObj(msg) || !Array.isArray(msg.content)) continue;
  for (const b of msg.content) {
    if (!isObj(b)) continue;
    if (e.type === 'assistant' && b.type === 'tool_use') {
      pending.set(b.id, { session: e.sessionId, time: e.timestamp ?? null, tool: b.name, input: trimInput(b.input), sidechain: e.isSidechain === true || undefined });
    } else if (e.type === 'user' && b.type === 'tool_result') {
      const call = pending.get(b.tool_use_id);
      if (!call) continue;
      pending.delete(b.tool_use_id);
      let err = b.is_error === true ? contentText(b.content) : undefined;
      if (err === undefined && typeof e.toolUseResult === 'string' && e.toolUseResult.startsWith('Error:')) err = e.toolUseResult;
      call.time = e.timestamp ?? call.time;
      call.ok = err === undefined;
      if (err !== undefined) call.error = trimError(err.replace(/<\/?tool_use_error>/g, ''));
      calls.push(call);
    }
  }
}
calls.sort((a, b) => String(a.time ?? '').localeCompare(String(b.time ?? '')));
for (const c of calls) {
  const line = { source, ...c };
  if (c.ok === false) line.label = { actionable: null, noise: null, class: null };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
console.error(`${calls.length} calls, ${calls.filter((c) => !c.ok).length} failed`);
