import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { emit } from '../output.js';
import { shortOid } from '../util/format.js';
import { workspaceOf } from './context.js';
import { describeFate, INCIDENT_SORTS, isIncidentSort, sortIncidents } from '../detect/present.js';
import { dismissIncident } from '../detect/dismiss.js';
import { withCommit } from '../store/with-commit.js';

interface Opts {
  json?: boolean;
  sort: string;
  status?: string;
  all?: boolean;
  reason?: string;
}

/** `nevo-tui incidents dismiss ID --reason TEXT`. */
export async function dismiss(id: string | undefined, opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  if (!id) throw new UserError('Which incident? `nevo-tui incidents dismiss ID --reason "..."`.');
  const { value: incident, commit } = await withCommit(ws, () => dismissIncident(ws, id, opts.reason ?? ''));
  emit(opts.json, { incident, commit }, () => `Dismissed ${incident.id}: ${incident.dismissedReason} (commit ${shortOid(commit)})`);
}

/** `nevo-tui incidents list`, and `incidents` alone. */
export async function list(opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  const incidents = await ws.store.incidents.list();
  if (!isIncidentSort(opts.sort)) throw new UserError(`--sort must be one of ${Object.keys(INCIDENT_SORTS).join(', ')}, not "${opts.sort}".`);
  const shown = sortIncidents(
    incidents.filter((i) => (opts.status ? i.status === opts.status : opts.all || i.status !== 'dismissed')),
    opts.sort,
  );
  emit(opts.json, { incidents: shown }, () =>
    shown.length
      ? shown
          .map((i) => `${i.id}  ${i.status.padEnd(9)} ${String(i.count).padStart(5)}x ${String(i.sessions.length).padStart(3)} sess  ${i.recurring ? 'R' : ' '} ${i.category.padEnd(19)} ${i.tool.padEnd(10)} ${i.signature.split('\n').slice(-1)[0]?.slice(0, 60) ?? ''}`)
          .join('\n')
      : 'No incidents.',
  );
}

/** `nevo-tui incidents show ID`. */
export async function show(id: string | undefined, opts: Opts, cmd: Command): Promise<void> {
  const ws = workspaceOf(cmd);
  if (!id) throw new UserError('Which incident? `nevo-tui incidents show ID` (ids are listed by `nevo-tui incidents`).');
  const incident = await ws.store.incidents.resolve(id);
  const events = (await ws.store.events.withFingerprint(incident.fingerprint, 10)).reverse();
  emit(opts.json, { incident, events }, () =>
    [
      `${incident.id}  ${incident.status}${incident.recurring ? ', recurring' : ''}${incident.reopened ? `, reopened ${incident.reopened}x` : ''}`,
      `  category     ${incident.category} (signal: ${incident.signal})`,
      `  tool         ${incident.tool}`,
      `  count        ${incident.count} in ${incident.sessions.length} session(s)`,
      `  first/last   ${incident.firstSeen} / ${incident.lastSeen}`,
      `  fingerprint  ${incident.fingerprint}`,
      `  signature    ${incident.signature.replace(/\n/g, '\n               ')}`,
      incident.sample.target ? `  target       ${incident.sample.target}` : '',
      `  sample error ${incident.sample.error.split('\n').slice(0, 6).join('\n               ')}`,
      incident.rules.length ? `  rules        ${incident.rules.join(', ')}` : '',
      incident.skills.length ? `  skills       ${incident.skills.join(', ')}` : '',
      events.length ? `  recent events:\n${events.map((e) => `    ${e.time}  ${e.session ?? ''}  ${describeFate(e)}`).join('\n')}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}
