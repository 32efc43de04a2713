import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { WindowedList } from '../components/WindowedList.js';
import { useListDetail } from '../hooks/use-list-detail.js';
import { useDetailKeys } from '../hooks/use-detail-keys.js';
import { fit, type ScreenProps } from './types.js';
import { localMinute } from '../../util/day.js';
import { useTheme } from '../theme.js';

/** The workspace's git log; enter shows a commit's diff, v reverts it (after confirming). */
export function History({ snapshot, services, width, height, keys, ui }: ScreenProps) {
  const theme = useTheme();
  const commits = snapshot.commits;
  const cursor = useListDetail<string>(commits.length);
  const [diff, setDiff] = useState<string[] | null>(null);
  const { selected: sel, open, scroll } = cursor;
  const listHeight = Math.max(1, height - 1);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setDiff(null);
    services.diff(open).then(
      (d) => live && setDiff(d.split('\n')),
      (err: Error) => live && setDiff([`(cannot show this commit: ${err.message})`]),
    );
    return () => {
      live = false;
    };
  }, [open, services]);

  const revert = (oid: string) => {
    // The first commit made the workspace: there is nothing before it to go back to.
    if (commits.find((c) => c.oid === oid)?.parents.length === 0) return ui.notify(`${oid.slice(0, 7)} made the workspace; it cannot be reverted.`, 'warn');
    ui.confirm(`Revert ${oid.slice(0, 7)} with a new commit?`, () =>
      ui.act(`revert ${oid.slice(0, 7)}`, async () => {
        const r = await services.revert(oid);
        return r.commit ? `reverted with ${r.commit.slice(0, 7)}` : 'already undone; nothing changed';
      }),
    );
  };

  useDetailKeys(ui, !!open);

  keys.current = (action) => {
    if (open) {
      if (cursor.scrollBy(action, diff?.length ?? 0, height - 2)) return true;
      if (action === 'back') cursor.close();
      else if (action === 'revert') revert(open);
      else return false;
      return true;
    }
    if (cursor.move(action, listHeight)) return true;
    if (action === 'open' && commits[sel]) {
      cursor.show(commits[sel]!.oid);
      return true;
    }
    if (action === 'revert' && commits[sel]) {
      revert(commits[sel]!.oid);
      return true;
    }
    return false;
  };

  if (open) {
    const c = commits.find((x) => x.oid === open);
    const view = (diff ?? ['loading…']).slice(scroll, scroll + height - 2);
    return (
      <Box flexDirection="column" height={height} width={width}>
        <Text bold wrap="truncate">
          {open.slice(0, 7)} {c?.subject} <Text color={theme.text.secondary}>(j/k scroll, v revert, esc back)</Text>
        </Text>
        <Text color={theme.text.secondary}>{c?.time.slice(0, 19).replace('T', ' ')}</Text>
        {view.map((l, i) => (
          <Text key={i} wrap="truncate" color={l.startsWith('+') ? theme.status.ok : l.startsWith('-') ? theme.status.error : l.startsWith('@@') ? theme.text.accent : undefined}>
            {fit(l, width) || ' '}
          </Text>
        ))}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={height} width={width}>
      <Text color={theme.text.secondary}>{snapshot.commitsLater && !commits.length ? 'reading the history…' : `${commits.length} commit(s), newest first · enter shows the diff · v reverts`}</Text>
      <WindowedList
        items={commits}
        selected={sel}
        height={listHeight - 1}
        width={width}
       
        render={(c) => `${c.oid.slice(0, 7)}  ${localMinute(c.time, snapshot.timeZone)}  ${c.subject}`}
      />
    </Box>
  );
}
