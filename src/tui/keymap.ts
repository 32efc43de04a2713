/**
 * The one keymap: input handling, the footer and the `?` help overlay are all generated from this
 * table, so they cannot drift apart.
 */
export type ScreenId = 'watch' | 'review' | 'rules' | 'incidents' | 'history' | 'memory' | 'skills' | 'jobs';
/**
 * Where keys are read: a screen, the rule editor (opened from Review or Rules), whose keys are its
 * own, or the reason asked for a rejection, where typing goes to a text field.
 */
export type KeyContext = ScreenId | 'editor' | 'reason';

/** Contexts with a text field: only their own keys mean anything, the rest is typed. */
const TYPING: KeyContext[] = ['reason'];

export const SCREENS: { id: ScreenId; title: string; key: string }[] = [
  { id: 'watch', title: 'Watch', key: '1' },
  { id: 'review', title: 'Review', key: '2' },
  { id: 'rules', title: 'Rules', key: '3' },
  { id: 'incidents', title: 'Incidents', key: '4' },
  { id: 'history', title: 'History', key: '5' },
  { id: 'memory', title: 'Memory', key: '6' },
  { id: 'skills', title: 'Skills', key: '7' },
  { id: 'jobs', title: 'Jobs', key: '8' },
];

export type Action =
  | 'quit'
  | 'help'
  | 'nextScreen'
  | 'prevScreen'
  | 'redraw'
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'open'
  | 'back'
  | 'filter'
  | 'approve'
  | 'reject'
  | 'edit'
  | 'skip'
  | 'undo'
  | 'deprecate'
  | 'restore'
  | 'sort'
  | 'dismiss'
  | 'revert'
  | 'save'
  | 'search'
  | 'cycleFilter'
  | 'pin'
  | 'neverRecall'
  | 'forget'
  | 'showHidden'
  | 'skillApprove'
  | 'skillDeploy'
  | 'skillDeactivate'
  | 'skillReactivate'
  | 'runJob'
  | 'openReport'
  | 'pickReason'
  | 'keepMine'
  | 'takeTheirs';

export interface Binding {
  action: Action;
  /** Key names as `matchKey` understands them: a character, or up/down/enter/escape/tab/..., with ctrl+ or shift+. */
  keys: string[];
  /** Short label for the footer; empty: help only. */
  label: string;
  /** How the footer and help name the keys, when not by the first of them (`1-9`). */
  keyLabel?: string;
  help: string;
  /** What the README's key table says, when it says more than `help` (the overlay must fit 80 columns; the README need not). */
  doc?: string;
  /** Bindings with the same `row` share one line of the help overlay (keys joined, the first one's help), so it fits 24 rows. */
  row?: string;
  /** Where it applies: 'global' (on screens and in the editor), or the contexts listed. */
  where: 'global' | KeyContext[];
  /** A global binding's exceptions: contexts where the key means nothing (the editor keeps you until you save or leave). */
  not?: KeyContext[];
  /**
   * With an item of the screen open (its detail, diff or report): 'also' works there as in the
   * list, 'only' works there alone; unset, the list's alone. The footer and the help follow it.
   */
  detail?: 'also' | 'only';
}

/** The screens whose items open in a view of their own (Rules opens the editor instead). */
const DETAILS: KeyContext[] = ['incidents', 'history', 'memory', 'skills', 'jobs'];

export const BINDINGS: Binding[] = [
  { action: 'approve', keys: ['a'], label: 'approve', help: 'approve the proposal (it becomes active and reaches the agent)', doc: 'approve: the rule goes active, reaches the agent, one commit', where: ['review'] },
  { action: 'reject', keys: ['r'], label: 'reject', help: 'reject the proposal: 1-9 picks a recent reason, or type one', doc: 'reject: the recent reasons (the last 9 distinct ones given to rejected rules, newest first) are listed by number', where: ['review'] },
  { action: 'edit', keys: ['e'], label: 'edit', help: 'edit the rule before deciding', doc: 'edit the proposal in the inline editor before deciding', where: ['review'] },
  { action: 'skip', keys: ['s'], label: 'skip', help: 'leave this proposal or escalation for later', doc: 'skip a proposal or escalation: it comes back at the end', where: ['review'] },
  { action: 'undo', keys: ['u'], label: 'undo', help: 'undo your last decision here (a revert commit); it comes back', doc: 'undo your last decision of this session (approve, reject, edit, dismissal, fact), again and again: each is a revert commit of the decision\'s commit, and the item comes back on screen', where: ['review'] },
  { action: 'keepMine', keys: ['m'], label: '', help: "sync conflict: m keeps your version, t takes the other member's", row: 'conflict', doc: 'on a sync conflict: keep your version of the rule (edit it first with `e` if neither is right); one commit, the team takes it at the next sync (as `sync --resolve RULE`)', where: ['review'] },
  { action: 'takeTheirs', keys: ['t'], label: '', help: "sync conflict: m keeps your version, t takes the other member's", row: 'conflict', doc: "on a sync conflict: take the other member's version of the rule; one commit (as `sync --resolve RULE --keep theirs`)", where: ['review'] },
  { action: 'pickReason', keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], keyLabel: '1-9', label: 'recent reason', help: 'reject with that recent reason (before anything is typed)', doc: 'reject with that recent reason, one key, before anything is typed (or type a reason)', where: ['reason'] },
  { action: 'open', keys: ['enter'], label: 'reject', help: 'reject with the reason typed', where: ['reason'] },
  { action: 'back', keys: ['escape'], label: 'cancel', help: 'cancel: nothing is rejected', where: ['reason'] },
  { action: 'open', keys: ['enter'], label: 'open', help: 'open the selected item: its detail, diff or editor', where: ['rules', 'incidents', 'history', 'memory', 'skills', 'jobs'] },
  { action: 'open', keys: ['enter'], label: 'open', help: 'open the incident the event opened, or the rule that blocked it', where: ['watch'] },
  { action: 'search', keys: ['/'], label: 'search', help: 'search as you type, typos forgiven (CLI: memory search)', doc: 'search as you type, on every keystroke, typos forgiven (the best 50 are listed); enter keeps the query (and gives `j`/`k` back to the list), esc clears it; `up`/`down` move while typing. In the list, esc clears the query, then the filter, then `H`', where: ['memory'] },
  { action: 'filter', keys: ['/'], label: 'filter', help: 'filter the list as you type (esc clears)', where: ['rules', 'incidents'] },
  { action: 'deprecate', keys: ['d'], label: 'deprecate', help: 'deprecate the selected rule (asks to confirm)', where: ['rules'] },
  { action: 'restore', keys: ['R'], label: 'restore', help: 'restore a deprecated or rejected rule (asks to confirm)', doc: 'restore a deprecated or rejected rule (after y/n); it is active again only if a person once approved it, otherwise it goes back to Review', where: ['rules'] },
  { action: 'sort', keys: ['o'], label: 'sort', help: 'sort by count, last seen, category', where: ['incidents'] },
  { action: 'dismiss', keys: ['x'], label: 'dismiss', help: 'dismiss the incident or gate escalation (asks a reason)', where: ['review', 'incidents'], detail: 'also' },
  { action: 'cycleFilter', keys: ['c', 'C'], label: 'filter', help: 'next filter: all, fact, each category, digest… (C: back)', doc: 'next, previous filter: all, fact, preference, lesson, config, project, decision, event, narrative, digest, weekly, monthly', where: ['memory'] },
  { action: 'pin', keys: ['p'], label: 'pin', help: 'pin/unpin: ranks first, never expires (CLI: memory pin)', where: ['memory'], detail: 'also' },
  { action: 'neverRecall', keys: ['n'], label: 'never', help: 'never recall, or recall again (CLI: memory hide|unhide)', where: ['memory'], detail: 'also' },
  { action: 'forget', keys: ['x'], label: 'forget', help: 'forget it after y/n: one revertable commit (memory forget)', where: ['memory'], detail: 'also' },
  { action: 'showHidden', keys: ['H'], label: 'hidden', help: 'show never-recalled items too, or not (memory search --all)', doc: 'show never-recalled items too, or not (marked `H`; pinned ones are marked `P`)', where: ['memory'] },
  { action: 'skillApprove', keys: ['a'], label: 'approve', help: 'approve a draft after y/n: validated, deployed (skills approve)', where: ['skills'], detail: 'also' },
  { action: 'skillDeploy', keys: ['D'], label: 'deploy', help: 'deploy an active skill again after y/n (skills deploy)', where: ['skills'], detail: 'also' },
  { action: 'skillDeactivate', keys: ['d'], label: 'deactivate', help: 'deactivate after y/n: off .claude/skills (skills deactivate)', where: ['skills'], detail: 'also' },
  { action: 'skillReactivate', keys: ['R'], label: 'reactivate', help: 'reactivate an inactive skill after y/n (skills reactivate)', where: ['skills'], detail: 'also' },
  { action: 'runJob', keys: ['r'], label: 'run', help: 'run the selected job now (CLI: jobs run NAME)', doc: 'run the selected job now (as `jobs run NAME`; refused while another process runs it); in the report, the self-review again, and its new report shows', where: ['jobs'], detail: 'also' },
  { action: 'openReport', keys: ['o'], label: 'report', help: 'open the latest self-review report (journal/reports/)', doc: 'open the latest self-review report (`journal/reports/`); `j`/`k`, pages, `g`/`G` scroll it, `o` reads the latest again, esc goes back', where: ['jobs'], detail: 'also' },
  { action: 'revert', keys: ['v'], label: 'revert', help: 'revert the selected commit (asks to confirm)', where: ['history'], detail: 'also' },
  { action: 'down', keys: ['j', 'down'], keyLabel: 'j/k', label: 'scroll', help: 'scroll the open item (pages, g/G too)', where: ['history', 'memory', 'skills', 'jobs'], detail: 'only' },
  { action: 'back', keys: ['escape'], label: 'back', help: 'back to the list', where: DETAILS, detail: 'only' },
  { action: 'open', keys: ['enter'], label: 'edit field', help: 'edit the selected field (enter or esc ends the field)', where: ['editor'] },
  { action: 'save', keys: ['ctrl+s'], label: 'save', help: 'save the rule (validated first; one commit)', doc: 'save the rule: refused while it is invalid; one commit', where: ['editor'] },
  { action: 'up', keys: ['k', 'up'], label: '', help: 'move up', where: 'global' },
  { action: 'down', keys: ['j', 'down'], label: 'j/k move', help: 'move down', where: 'global' },
  { action: 'pageUp', keys: ['pageup', 'ctrl+u'], label: '', help: 'page up', where: 'global' },
  { action: 'pageDown', keys: ['pagedown', 'ctrl+d'], label: '', help: 'page down', where: 'global' },
  { action: 'top', keys: ['g', 'home'], label: '', help: 'first item', where: 'global' },
  { action: 'bottom', keys: ['G', 'end'], label: '', help: 'last item', where: 'global' },
  { action: 'back', keys: ['escape'], label: '', help: 'back, close, cancel', where: 'global' },
  { action: 'back', keys: ['escape'], label: 'back', help: 'leave the editor (asks first when there are changes)', where: ['editor'] },
  { action: 'nextScreen', keys: ['tab'], label: 'tab screens', help: 'next screen (1-8 jump to one)', where: 'global', not: ['editor'] },
  { action: 'prevScreen', keys: ['shift+tab'], label: '', help: 'previous screen', where: 'global', not: ['editor'] },
  { action: 'redraw', keys: ['ctrl+l'], label: '', help: 'redraw the screen', where: 'global' },
  { action: 'help', keys: ['?'], label: '? help', help: 'show or hide this help', doc: 'help for this screen (in the rule editor, the editor\'s keys; on Rules, what each lint flag means and how to clear it); taller than the screen, `j`/`k` scroll it', where: 'global' },
  { action: 'quit', keys: ['q', 'ctrl+c'], label: 'q quit', help: 'quit (the terminal is restored)', where: 'global' },
];

/** What Ink's useInput hands a handler, reduced to what matching needs. */
export interface KeyEvent {
  input: string;
  key: {
    upArrow?: boolean;
    downArrow?: boolean;
    leftArrow?: boolean;
    rightArrow?: boolean;
    pageUp?: boolean;
    pageDown?: boolean;
    home?: boolean;
    end?: boolean;
    return?: boolean;
    escape?: boolean;
    tab?: boolean;
    shift?: boolean;
    ctrl?: boolean;
    meta?: boolean;
    backspace?: boolean;
    delete?: boolean;
  };
}

/** The name of a key press, in the table's vocabulary. */
export function keyName(e: KeyEvent): string {
  const k = e.key;
  if (k.upArrow) return 'up';
  if (k.downArrow) return 'down';
  if (k.leftArrow) return 'left';
  if (k.rightArrow) return 'right';
  if (k.pageUp) return 'pageup';
  if (k.pageDown) return 'pagedown';
  if (k.home) return 'home';
  if (k.end) return 'end';
  if (k.return) return 'enter';
  if (k.escape) return 'escape';
  if (k.tab) return k.shift ? 'shift+tab' : 'tab';
  if (k.ctrl && e.input) return `ctrl+${e.input.toLowerCase()}`;
  return e.input;
}

export function applies(b: Binding, screen: KeyContext): boolean {
  return b.where === 'global' ? !TYPING.includes(screen) && !b.not?.includes(screen) : b.where.includes(screen);
}

/** The action a key press means on a screen: screen bindings first, then global ones. */
export function actionFor(e: KeyEvent, screen: KeyContext): Action | null {
  const name = keyName(e);
  const hit = (b: Binding) => b.keys.includes(name);
  const local = BINDINGS.find((b) => b.where !== 'global' && b.where.includes(screen) && hit(b));
  return (local ?? BINDINGS.find((b) => applies(b, screen) && b.where === 'global' && hit(b)))?.action ?? null;
}

/** The one-line footer: this screen's labelled bindings first, then the global ones that fit. */
export function footerItems(screen: KeyContext, detail = false): string[] {
  const own = ownBindings(screen, detail);
  const local = own.filter((b) => b.label).map((b) => `${b.keyLabel ?? (b.keys[0] === 'escape' ? 'esc' : b.keys[0])} ${b.label}`);
  const global = globalBindings(screen, detail, own).filter((b) => b.label).map((b) => (b.label.includes(' ') ? b.label : `${b.keys[0]} ${b.label}`));
  return [...local, ...global];
}

/** Moving through a list: with an item open there is no list, and the item scrolls only where the screen says so. */
const LIST_MOVES: Action[] = ['up', 'down', 'pageUp', 'pageDown', 'top', 'bottom'];

/** The global bindings that mean something beside `own`: none of its keys, and no list moves with an item open. */
function globalBindings(screen: KeyContext, detail: boolean, own: Binding[]): Binding[] {
  const taken = new Set(own.flatMap((b) => b.keys));
  return BINDINGS.filter((b) => b.where === 'global' && applies(b, screen) && !b.keys.some((k) => taken.has(k)) && !(detail && LIST_MOVES.includes(b.action)));
}

/** A screen's own bindings, in the list or with an item open (`detail`). */
export function ownBindings(screen: KeyContext, detail = false): Binding[] {
  const own = BINDINGS.filter((b) => b.where !== 'global' && b.where.includes(screen) && (detail ? !!b.detail : b.detail !== 'only'));
  // With an item open, how to move in it and leave it come first: a narrow footer keeps them.
  return detail ? [...own.filter((b) => b.detail === 'only'), ...own.filter((b) => b.detail !== 'only')] : own;
}

/** The help overlay: every binding of this screen and every global one (the screen's own first, when both use a key). */
export function helpRows(screen: KeyContext, detail = false): { keys: string; help: string }[] {
  const local = ownBindings(screen, detail);
  const global = globalBindings(screen, detail, local);
  const rows: { keys: string; help: string; row?: string }[] = [];
  for (const b of [...local, ...global]) {
    const keys = b.keyLabel ?? b.keys.join(', ');
    const shared = b.row ? rows.find((r) => r.row === b.row) : undefined;
    if (shared) shared.keys += `, ${keys}`;
    else rows.push({ keys, help: b.help, ...(b.row ? { row: b.row } : {}) });
  }
  return rows.map(({ keys, help }) => ({ keys, help }));
}

/** Escape sequences of the keys the table names, as terminals send them. */
const SEQUENCES: [string, KeyEvent['key']][] = [
  ['\x1b[A', { upArrow: true }],
  ['\x1b[B', { downArrow: true }],
  ['\x1b[C', { rightArrow: true }],
  ['\x1b[D', { leftArrow: true }],
  ['\x1bOA', { upArrow: true }],
  ['\x1bOB', { downArrow: true }],
  ['\x1bOC', { rightArrow: true }],
  ['\x1bOD', { leftArrow: true }],
  ['\x1b[5~', { pageUp: true }],
  ['\x1b[6~', { pageDown: true }],
  ['\x1b[H', { home: true }],
  ['\x1b[F', { end: true }],
  ['\x1b[1~', { home: true }],
  ['\x1b[4~', { end: true }],
  ['\x1b[Z', { tab: true, shift: true }],
];

/**
 * The key presses in one chunk of input. A terminal hands over keys typed quickly (or repeated
 * while the app was busy) as one chunk, and Ink names the chunk, not its keys: `jjj` matched
 * nothing and moved no row. Plain characters and the escape sequences above are split; anything
 * else (a ctrl or meta chord, one named key) stays as Ink read it.
 */
export function splitKeys(e: KeyEvent): KeyEvent[] {
  const k = e.key;
  if (k.ctrl || k.meta) return [e];
  // Ink drops the leading ESC of a chunk it could not name.
  const raw = /^(?:\[|O[A-D])/.test(e.input) && !Object.values(k).some(Boolean) ? `\x1b${e.input}` : e.input;
  if ([...raw].length <= 1) return [e];
  const out: KeyEvent[] = [];
  let i = 0;
  while (i < raw.length) {
    const seq = SEQUENCES.find(([s]) => raw.startsWith(s, i));
    if (seq) {
      out.push({ input: '', key: { ...seq[1] } });
      i += seq[0].length;
      continue;
    }
    const ch = String.fromCodePoint(raw.codePointAt(i)!);
    // A lone ESC or an unknown sequence: not something to split safely; leave the chunk whole.
    if (ch === '\x1b') return [e];
    if (ch === '\r') out.push({ input: '', key: { return: true } });
    else if (ch === '\t') out.push({ input: '', key: { tab: true } });
    else if (ch < ' ' || ch === '\x7f') return [e];
    else out.push({ input: ch, key: ch !== ch.toLowerCase() ? { shift: true } : {} });
    i += ch.length;
  }
  return out.length ? out : [e];
}

/** What a terminal sends for a key press: the inverse of `splitKeys`, to hand a key on to a text field. */
export function rawKey(e: KeyEvent): string {
  const k = e.key;
  const seq = SEQUENCES.find(([, named]) => Object.entries(named).every(([name, on]) => k[name as keyof KeyEvent['key']] === on) && Object.entries(k).every(([name, on]) => !on || named[name as keyof KeyEvent['key']]));
  if (seq) return seq[0];
  if (k.return) return '\r';
  if (k.tab) return '\t';
  if (k.escape) return '\x1b';
  if (k.backspace || k.delete) return '\x7f';
  if (k.ctrl && /^[a-z]$/.test(e.input)) return String.fromCharCode(e.input.charCodeAt(0) - 96);
  return e.input;
}
