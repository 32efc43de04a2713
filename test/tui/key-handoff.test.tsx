import { describe, expect, it } from 'vitest';
import { KEY, renderAppInTerminal, waitFor } from './helpers.js';

type Terminal = Awaited<ReturnType<typeof renderAppInTerminal>>;

/**
 * Presses `key`, and `next` the moment the first frame showing `shown` is drawn: after React has
 * committed that frame but before its passive effects run, which is when a fast typist's next key
 * (or a pasted pair) can arrive. Ink subscribes key handlers in passive effects, so a field that
 * just closed could still take the key, and the screen not yet.
 */
async function keyAfterFrame(t: Terminal, key: string, shown: string, next: string) {
  const write = t.stdout.write;
  let sent = false;
  t.stdout.write = (data: string) => {
    const r = write(data);
    if (!sent && data.includes(shown)) {
      sent = true;
      queueMicrotask(() => t.stdin.write(next));
    }
    return r;
  };
  await t.press(key);
  await waitFor(() => sent, `a frame with ${JSON.stringify(shown)}`, { frame: t.frame });
  t.stdout.write = write;
}

const selectedRow = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('a key pressed the moment a field or a dialog closes', () => {
  it('reaches the screen: enter right after esc ends a memory search opens the selected item', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'memory' });
    await t.waitForText('result(s) of');
    await t.press('/');
    await t.type('npm');
    await keyAfterFrame(t, KEY.esc, '/ type / to search memory', KEY.enter);
    await t.waitForText('Why it ranks here');
  });

  it('reaches the screen: j right after n answers a confirmation moves the cursor', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'memory' });
    await t.waitForText('result(s) of');
    const first = selectedRow(t.frame());
    await t.press('x');
    await t.waitForText('[y/N]');
    await keyAfterFrame(t, 'n', 'enter open · / search', 'j');
    await waitFor(() => selectedRow(t.frame()) !== first, 'j to move the cursor', { frame: t.frame });
    expect(t.services.callsOf('memoryForget')).toEqual([]);
  });

  it('reaches the field: a letter right after / opens the search is typed into it', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'memory' });
    await t.waitForText('result(s) of');
    await keyAfterFrame(t, '/', '(enter keeps, esc clears', 'p');
    await t.type('npm');
    await t.waitForText('/ pnpm');
  });

  it('reaches the field after the keys typed before it: /np in one chunk, then m, gives npm', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'memory' });
    await t.waitForText('result(s) of');
    await keyAfterFrame(t, '/np', '(enter keeps, esc clears', 'm');
    await t.waitForText('/ npm');
  });

  it('answers a confirmation with the first key of a chunk and hands the rest to the screen: nj in one chunk moves the cursor', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'memory' });
    await t.waitForText('result(s) of');
    const first = selectedRow(t.frame());
    await t.press('x');
    await t.waitForText('[y/N]');
    await t.press('nj');
    await waitFor(() => selectedRow(t.frame()) !== first && !t.frame().includes('[y/N]'), 'the dialog closed and the cursor moved', { frame: t.frame });
    expect(t.services.callsOf('memoryForget')).toEqual([]);
  });

  it('a y answered in one chunk with the next keys does what y does, once', async () => {
    const t = await renderAppInTerminal({ columns: 80, rows: 24, screen: 'memory' });
    await t.waitForText('result(s) of');
    await t.press('x');
    await t.waitForText('[y/N]');
    await t.press('yj');
    await waitFor(() => t.services.callsOf('memoryForget').length === 1, 'the item forgotten', { frame: t.frame });
    await waitFor(() => !t.frame().includes('[y/N]'), 'the dialog closed', { frame: t.frame });
  });
});
