// The workspace's past tool calls, from the raw journal (it outlives store/events.json), for the
// backtest of a proposed guard. Only the last DAYS days are read: enough history to catch a guard
// that would stall real work, without reading a heavy year on every proposal.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJournal } from '../store/raw-journal.js';
import type { PastCall } from '../rules/backtest.js';

const DAYS = 90;

export function readPastCalls(root: string, tool: string): PastCall[] {
  const raw = join(root, 'journal', 'raw');
  if (!existsSync(raw)) return [];
  const days = readdirSync(raw).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort().slice(-DAYS);
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
      for (const line of parseJournal(text)) {
        if (line.tool !== tool || line.ok === undefined || !line.target) continue;
        out.push({ tool, target: line.target, ok: line.ok, ...(line.incident ? { incident: line.incident } : {}) });
      }
    }
  }
  return out;
}
