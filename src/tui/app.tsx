import { Box, Text, useApp, useInput, useStdin, useStdout, type Key } from 'ink';
import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { Footer, Header, HelpOverlay, helpView, StatusLine } from './components/Chrome.js';
import { isMove } from './components/list-window.js';
import { Paragraph, scrollBy } from './components/Lines.js';
import { Modal, modalHeight, type ModalSpec } from './components/Modal.js';
import { KeyRouter, KeyRouterContext } from './hooks/use-keys.js';
import { useSnapshot } from './hooks/use-snapshot.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { actionFor, rawKey, SCREENS, splitKeys, type KeyEvent, type ScreenId } from './keymap.js';
import { Incidents } from './screens/Incidents.js';
import { Jobs } from './screens/Jobs.js';
import { History } from './screens/History.js';
import { Memory } from './screens/Memory.js';
import { Review } from './screens/Review.js';
import { Rules } from './screens/Rules.js';
import { Skills } from './screens/Skills.js';
import type { KeyHandler, Outcome, Ui } from './screens/types.js';
import { Watch } from './screens/Watch.js';
import { countsOf, type TuiServices } from './services.js';
import { ThemeContext, useTheme, type Theme } from './theme.js';
import { openEscalations } from '../gate/escalations.js';

/** The smallest terminal the screens are laid out for. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

const SCREEN_COMPONENTS = { watch: Watch, review: Review, rules: Rules, incidents: Incidents, history: History, memory: Memory, skills: Skills, jobs: Jobs } as const;

/** The app in a theme: every component below reads it with `useTheme`. */
export function App({ theme, ...props }: { services: TuiServices; theme: Theme; initialScreen?: ScreenId }) {
  const [router] = useState(() => new KeyRouter());
  return (
    <ThemeContext.Provider value={theme}>
      <KeyRouterContext.Provider value={router}>
        <Screens {...props} />
      </KeyRouterContext.Provider>
    </ThemeContext.Provider>
  );
}

function Screens({ services, initialScreen = 'watch' }: { services: TuiServices; initialScreen?: ScreenId }) {
  const theme = useTheme();
  const { exit } = useApp();
  // Ink's write, not stdout.write: it redraws the frame after the data (Ink only writes frames that changed).
  const { write } = useStdout();
  const { columns, rows } = useTerminalSize();
  const { snapshot, error, reload } = useSnapshot(services);
  const [screen, setScreen] = useState<ScreenId>(initialScreen);
  const [help, setHelp] = useState(false);
  // The help's first line shown, when it is taller than the screen.
  const [helpScroll, setHelpScroll] = useState(0);
  const [modal, setModal] = useState<ModalSpec | null>(null);
  const [message, setMessage] = useState<Outcome | null>(null);
  const [editing, setEditing] = useState(false);
  // An item of the screen is open (a detail, a diff, a report): the footer and help name its keys.
  const [detail, setDetail] = useState(false);
  const [focus, setFocus] = useState<string | undefined>(undefined);
  const [, setRedraw] = useState(0);
  const keys = useRef<KeyHandler | null>(null);
  const decisions = useRef<{ id: string; commit: string }[]>([]);
  const [skipped, setSkipped] = useState<string[]>([]);

  const ui: Ui = {
    notify: (text, tone = 'info') => setMessage({ text, tone }),
    ask: (title, onSubmit, initial) => setModal({ kind: 'prompt', title, onSubmit, initial }),
    pick: (title, options, onSubmit) => setModal({ kind: 'pick', title, options, onSubmit }),
    confirm: (msg, onYes) => setModal({ kind: 'confirm', message: msg, onYes }),
    act: (label, fn) => {
      setMessage({ text: `${label}…`, tone: 'info' });
      fn().then(
        (outcome) => {
          setMessage(typeof outcome === 'string' ? { text: outcome, tone: 'ok' } : outcome);
          void reload();
        },
        (err: Error) => setMessage({ text: `${label} failed: ${err.message.split('\n').join(' ')}`, tone: 'error' }),
      );
    },
    quit: () => exit(),
    show: (id, item) => {
      setScreen(id);
      setFocus(item);
      setHelp(false);
    },
    setEditing,
    setDetail,
    decisions: decisions.current,
    skipped,
    skip: (id) => setSkipped((s) => [...s.filter((x) => x !== id), id]),
  };

  const go = useCallback((id: ScreenId) => {
    setScreen(id);
    setFocus(undefined);
    setHelp(false);
    setMessage(null);
  }, []);

  const context = modal?.kind === 'pick' ? 'reason' : editing ? 'editor' : screen;
  // The footer and help follow an item open on the screen, not in the editor or a reason asked over it.
  const itemOpen = detail && context === screen;
  // The frame never reaches the last row: Ink redraws the whole screen (and flickers) once it does.
  const height = Math.max(6, rows - 1);
  const bodyHeight = Math.max(1, height - 3 - (modal ? modalHeight(modal, columns) : 0));
  const handle = (e: KeyEvent): void => {
    const { input, key } = e;
    {
      if (key.ctrl && input === 'c') return exit();
      const action = actionFor(e, context);
      if (help) {
        if (action === 'help' || action === 'back') setHelp(false);
        else if (action === 'quit') exit();
        else if (isMove(action)) {
          const { lines, rows: shown } = helpView(context, columns, bodyHeight, itemOpen);
          setHelpScroll((at) => scrollBy(Math.min(at, Math.max(0, lines.length - shown)), action, lines.length, shown));
        }
        return;
      }
      // The screen goes first: esc closes its detail view before it could mean anything else. An
      // open editor also sees quit, so that unsaved changes are never dropped without a question.
      if (action !== 'help' && (action !== 'quit' || editing) && keys.current?.(action, e)) return;
      const idx = SCREENS.findIndex((s) => s.id === screen);
      switch (action) {
        case 'quit':
          return exit();
        case 'help':
          setHelpScroll(0);
          return setHelp(true);
        case 'nextScreen':
          return go(SCREENS[(idx + 1) % SCREENS.length]!.id);
        case 'prevScreen':
          return go(SCREENS[(idx + SCREENS.length - 1) % SCREENS.length]!.id);
        case 'redraw':
          write('\x1b[2J\x1b[H');
          return setRedraw((n) => n + 1);
        default: {
          const jump = SCREENS.find((s) => s.key === input);
          if (jump && !key.ctrl && !key.meta) go(jump.id);
        }
      }
    }
  };
  // Keys are handled one per render, so each sees the state the one before it left: three j
  // presses move three rows, not one, whether they came in one chunk (key repeat, fast typing) or
  // one by one faster than the screen redraws (Ink hands each to the handler of the last render).
  const queued = useRef<KeyEvent[]>([]);
  // The handler of this render, and what had rendered when the last key was handled: a key is
  // handled at once only when the App or the screen has rendered since (the screen's handler,
  // keys.current, is a new one after each of its renders).
  const handleNow = useRef(handle);
  handleNow.current = handle;
  const renders = useRef(0);
  renders.current += 1;
  const last = useRef<{ renders: number; screen: KeyHandler | null } | null>(null);
  const router = useContext(KeyRouterContext)!;
  // A dialog or a text field shown reads its own keys (it is registered with the router as its frame
  // commits): the screen's handler must not.
  const fresh = () => !router.taken && (!last.current || last.current.renders !== renders.current || last.current.screen !== keys.current);
  const next = () => {
    const e = queued.current.shift()!;
    handleNow.current(e);
    last.current = { renders: renders.current, screen: keys.current };
  };
  const [, setTick] = useState(0);
  const { internal_eventEmitter: inputEvents } = useStdin();
  // The one subscription to Ink's input, never dropped: a field or a dialog shown takes the keys
  // (see KeyRouter), the screen's keymap the others.
  const onKey = useCallback((input: string, key: Key) => {
    // Keys still queued from before the field opened go to it first (the effect below hands them on).
    if (router.taken && !queued.current.length) {
      if (router.takesText) return router.dispatch(input, key);
      // A question answered with the first key of a chunk: the rest waits for the frame after it.
      const [first, ...rest] = splitKeys({ input, key });
      if (!rest.length) return router.dispatch(input, key);
      // Ink reads the one key again, as it reads any, and hands it straight back here.
      inputEvents.emit('input', rawKey(first!));
      queued.current.push(...rest);
      return setTick((n) => n + 1);
    }
    queued.current.push(...splitKeys({ input, key }));
    if (router.taken) return;
    if (fresh()) next();
    // A render comes next, and after it the next key.
    if (queued.current.length) setTick((n) => n + 1);
  }, []);
  useInput(onKey);
  useEffect(() => {
    if (!queued.current.length) return;
    // A dialog or a text field opened by an earlier key takes the keys after it, as they were typed.
    if (router.taken) {
      const rest = queued.current.map(rawKey).join('');
      queued.current = [];
      inputEvents.emit('input', rest);
      return;
    }
    if (fresh()) next();
    if (queued.current.length) setTick((n) => n + 1);
  });

  // Below the smallest size the screens are laid out for, say so instead of drawing rows over
  // each other; keys still work (q quits), and the screens come back when the terminal grows.
  // They come back new: an editor that was open is gone, so its keys and footer go with it.
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  useEffect(() => {
    if (tooSmall) setEditing(false);
  }, [tooSmall]);
  if (tooSmall) {
    return (
      <Box flexDirection="column" width={columns}>
        <Paragraph text={`nevo-tui needs at least ${MIN_COLUMNS}x${MIN_ROWS}; this terminal is ${columns}x${rows}. Make it larger, or press q to quit.`} width={columns} color={theme.status.warn} />
      </Box>
    );
  }
  const Screen = SCREEN_COMPONENTS[screen];
  const counts = snapshot ? { review: snapshot.rules.filter((r) => r.status === 'proposed').length + openEscalations(snapshot.incidentRows).length + snapshot.pendingFacts.length + snapshot.syncConflicts.length, incidents: countsOf(snapshot).byStatus.new ?? 0 } : {};
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Header screen={screen} width={columns} counts={counts} />
      <Box height={bodyHeight} width={columns} flexDirection="column">
        {!snapshot ? (
          <Text color={error ? theme.status.error : theme.text.secondary}>{error ? `Cannot read the workspace: ${error}` : 'Loading the workspace…'}</Text>
        ) : (
          <>
            {help && <HelpOverlay screen={context} detail={itemOpen} height={bodyHeight} width={columns} scroll={helpScroll} />}
            {/* Hidden, not unmounted, under the help: an open editor keeps its changes. */}
            <Box display={help ? 'none' : 'flex'} flexDirection="column" height={bodyHeight} width={columns}>
              <Screen key={`${screen}:${focus ?? ''}`} snapshot={snapshot} services={services} width={columns} height={bodyHeight} keys={keys} ui={ui} {...(focus ? { focus } : {})} />
            </Box>
          </>
        )}
      </Box>
      {modal && <Modal spec={modal} width={columns} onClose={() => setModal(null)} />}
      <StatusLine text={message?.text ?? (error ? `Last reload failed: ${error}` : snapshot ? snapshot.workspace : '')} tone={message?.tone ?? (error ? 'error' : 'info')} width={columns} />
      <Footer screen={context} detail={itemOpen} width={columns} />
    </Box>
  );
}
