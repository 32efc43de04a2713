// The workspace's past tool calls, from the raw journal (it outlives store/events.json), for the
// backtest of a proposed guard. Only the last DAYS days are read: enough history to catch a guard
// that would stall real work, without reading a heavy year on every proposal.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJournal } from '../store/raw-journal.js';
import type { PastCall } from '../rules/backtest.js';

const DAYS = 90;

/**
 * Whether a raw journal line may be a call of `tool`: its name, quoted as the store writes it, is in
 * the text of any line whose `tool` it is, however the JSON is spaced; a line with a `\u` or `\/`
 * escape (the spellings another writer may use instead) is parsed whatever it says. At 2,000 calls
 * a day the 90 days are 180,000 lines, and parsing only one tool's takes a backtest from about
 * 0.4 s to a fraction of that.
 */
const mayBeOf = (tool: string) => {
  const quoted = JSON.stringify(tool);
  return (raw: string) => raw.includes(quoted) || /\\[u/]/.test(raw);
};

export function readPastCalls(root: string, tool: string): PastCall[] {
  const raw = join(root, 'journal', 'raw');
  if (!existsSync(raw)) return [];
  const days = readdirSync(raw).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort().slice(-DAYS);
  const mayHold = mayBeOf(tool);
  const out: PastCall[] = [];
  for (const day of days) {
    for (const file of readdirSync(join(raw, day))) {
      if (!file.endsWith('.jsonl')) continue;
      let text: string;
      try {
        text = readFileSync(join(raw, day, file), 'utf8');
      } catch {
        continue;
      }
      for (const line of parseJournal(text, mayHold)) {
        if (line.tool !== tool || line.ok === undefined || !line.target) continue;
        out.push({ tool, target: line.target, ok: line.ok, ...(line.incident ? { incident: line.incident } : {}) });
      }
    }
  }
  return out;
}

/**
 * The past calls of each tool, read once: a batch of the built-in analyst's analyses (`nevo-tui
 * analyze`, the incidents an ingest or an import opened) backtests every guard it proposes on the
 * journal as it was when the batch began.
 */
export function pastCallsOnce(root: string): (tool: string) => PastCall[] {
  const read = new Map<string, PastCall[]>();
  return (tool) => {
    let calls = read.get(tool);
    if (!calls) read.set(tool, (calls = readPastCalls(root, tool)));
    return calls;
  };
}
