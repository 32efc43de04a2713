import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import {
  NEVO_HOOK_EVENTS,
  eventsWithNevoHooks,
  hooksStatus,
  installedCommand,
  installHooks,
  isNevoCommand,
  markCommand,
  nodeHookCommand,
  parseMarkedCommand,
  settingsPath,
  uninstallHooks,
  withClaudeVersion,
} from '../../src/detect/hooks-settings.js';
import { hookForm } from '../../src/detect/claude-version.js';
import { planHooks } from '../../src/detect/hook-plan.js';
import { UserError } from '../../src/errors.js';

const FILE = '.claude/settings.local.json';
const CMD = 'nevo-tui hook';

/** CMD as install writes it, marked with what install created for it. */
function marked(created: string, command = CMD): string {
  return `${command} # nevo-tui-hook created=${created}`;
}

/** Every handler command in the file, event by event. */
function commands(text: string): Record<string, string[]> {
  const hooks = parse(text).hooks ?? {};
  return Object.fromEntries(
    Object.entries(hooks as Record<string, { hooks?: { command?: string }[] }[]>).map(([event, groups]) => [
      event,
      groups.flatMap((g) => (g.hooks ?? []).map((h) => String(h.command))),
    ]),
  );
}

/** Parses strictly: the result must stay plain JSON that Claude Code can read. */
function json(text: string): any {
  return JSON.parse(text);
}

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

// 4-space indent, other hooks, a "permissions" block, an inline array and odd spacing.
const OTHER_POST = `{
                "matcher": "Edit|Write",
                "hooks": [
                    { "type": "command", "command": "\${CLAUDE_PROJECT_DIR}/.claude/hooks/check.sh", "args": [], "timeout": 30 }
                ]
            }`;
const OTHER_STOP = `{ "hooks": [ { "type": "command", "command": "say done", "async": true } ] }`;
const PERMISSIONS = `"permissions": {
        "allow": ["Bash(npm test)",   "Read(*)"],
        "deny" : []
    }`;
const NOTIFICATION = `"Notification": [
            {"matcher":"idle_prompt","hooks":[{"type":"command","command":"notify-send hi"}]}
        ]`;
const EXISTING = `{
    ${PERMISSIONS},
    "hooks": {
        "PostToolUse": [
            ${OTHER_POST}
        ],
        "Stop": [ ${OTHER_STOP} ],
        ${NOTIFICATION}
    },
    "model": "opus"
}
`;

describe('NEVO_HOOK_EVENTS', () => {
  it('lists the nine events nevo-tui listens to', () => {
    expect([...NEVO_HOOK_EVENTS]).toEqual([
      'PostToolUse', 'PostToolUseFailure', 'Stop', 'SubagentStop', 'SessionStart', 'SessionEnd', 'UserPromptSubmit', 'TaskCompleted', 'PreToolUse',
    ]);
  });
});

describe('settingsPath', () => {
  it('maps each scope to its file', () => {
    expect(settingsPath('project', '/p', '/h')).toMatch(/^[/\\]p[/\\]\.claude[/\\]settings\.json$/);
    expect(settingsPath('local', '/p', '/h')).toMatch(/^[/\\]p[/\\]\.claude[/\\]settings\.local\.json$/);
    expect(settingsPath('user', '/p', '/h')).toMatch(/^[/\\]h[/\\]\.claude[/\\]settings\.json$/);
  });
});

describe('isNevoCommand', () => {
  it('recognises the PATH form and the node + cli.js form', () => {
    expect(isNevoCommand('nevo-tui hook')).toBe(true);
    expect(isNevoCommand('  nevo-tui hook  ')).toBe(true);
    expect(isNevoCommand('"/usr/bin/node" "/x/nevo-tui/dist/cli.js" hook')).toBe(true);
    expect(isNevoCommand(nodeHookCommand('/usr/bin/node', '/opt/nevo-tui/dist/cli.js'))).toBe(true);
    expect(isNevoCommand('/usr/local/bin/nevo-tui hook')).toBe(true);
    expect(isNevoCommand('"/a b/nevo-tui" hook')).toBe(true);
  });
  it('recognises any command carrying nevo-tui’s marker, and reads what install created', () => {
    const command = '"/usr/bin/node" "/src/checkout/dist/bin.cjs" hook';
    expect(isNevoCommand(command)).toBe(false);
    for (const [created, tag] of [
      [{ kind: 'group' }, 'group'],
      [{ kind: 'event' }, 'event'],
      [{ kind: 'hooks' }, 'hooks'],
      [{ kind: 'file' }, 'file'],
      [{ kind: 'blank', text: ' \n' }, 'blank:IAo'],
      [{ kind: 'group', ws: ' ' }, 'group ws=IA'],
      [{ kind: 'hooks', ws: '\n' }, 'hooks ws=Cg'],
    ] as const) {
      const m = markCommand(command, created);
      expect(m).toBe(`${command} # nevo-tui-hook created=${tag}`);
      expect(isNevoCommand(m)).toBe(true);
      expect(parseMarkedCommand(m)).toEqual({ base: command, created, tag });
      // Marking a marked command replaces its marker.
      expect(markCommand(m, { kind: 'group' })).toBe(`${command} # nevo-tui-hook created=group`);
    }
    // A tag install never writes removes the least; a blank tag that is not whitespace is not restored.
    expect(parseMarkedCommand(`${command} # nevo-tui-hook created=zzz`)?.created).toEqual({ kind: 'group' });
    expect(parseMarkedCommand(`${command} # nevo-tui-hook created=blank:${Buffer.from('{"a":1}').toString('base64url')}`)?.created).toEqual({ kind: 'hooks' });
    expect(parseMarkedCommand(command)).toBeUndefined();
  });
  it('rejects anything else', () => {
    expect(isNevoCommand('nevo-tui hooks')).toBe(false);
    expect(isNevoCommand('nevo-tui hook stop')).toBe(false);
    expect(isNevoCommand('other hook')).toBe(false);
    expect(isNevoCommand(undefined)).toBe(false);
    expect(isNevoCommand(42)).toBe(false);
  });
  it('nodeHookCommand quotes both paths', () => {
    expect(nodeHookCommand('/usr/bin/node', '/a b/nevo-tui/dist/cli.js')).toBe('"/usr/bin/node" "/a b/nevo-tui/dist/cli.js" hook');
    expect(nodeHookCommand('/n', '/a"$`/cli.js')).toBe('"/n" "/a\\"\\$\\`/cli.js" hook');
  });
});

describe('installHooks', () => {
  it('keeps every existing entry byte for byte and adds one group per event', () => {
    const out = installHooks(EXISTING, FILE, CMD);
    for (const piece of [OTHER_POST, OTHER_STOP, PERMISSIONS, NOTIFICATION, '"model": "opus"']) expect(out).toContain(piece);
    // Everything before the first insertion is untouched.
    const firstInsert = EXISTING.indexOf(OTHER_POST) + OTHER_POST.length;
    expect(out.slice(0, firstInsert)).toBe(EXISTING.slice(0, firstInsert));
    expect(out.endsWith('    "model": "opus"\n}\n')).toBe(true);

    const before = json(EXISTING);
    const after = json(out);
    expect(after.permissions).toEqual(before.permissions);
    expect(after.model).toBe('opus');
    expect(after.hooks.Notification).toEqual(before.hooks.Notification);
    expect(after.hooks.PostToolUse.slice(0, 1)).toEqual(before.hooks.PostToolUse);
    expect(after.hooks.Stop.slice(0, 1)).toEqual(before.hooks.Stop);
    for (const event of NEVO_HOOK_EVENTS) {
      const groups = after.hooks[event] as unknown[];
      // An event that was there gets a group appended; any other is created.
      const group = { hooks: [{ type: 'command', command: marked(before.hooks[event] ? 'group' : 'event'), timeout: 10 }] };
      expect(groups[groups.length - 1], event).toEqual(group);
      expect(groups.length, event).toBe((before.hooks[event]?.length ?? 0) + 1);
    }
    // Key order: existing keys first, in their order, then the new events.
    expect(Object.keys(after)).toEqual(['permissions', 'hooks', 'model']);
    expect(Object.keys(after.hooks)).toEqual([
      'PostToolUse', 'Stop', 'Notification', 'PostToolUseFailure', 'SubagentStop', 'SessionStart', 'SessionEnd', 'UserPromptSubmit', 'TaskCompleted', 'PreToolUse',
    ]);
  });

  it('lays out new entries in the file’s indentation', () => {
    const out = installHooks(EXISTING, FILE, CMD);
    expect(out).toContain(`
        "PostToolUse": [
            ${OTHER_POST},
            {
                "hooks": [
                    {
                        "type": "command",
                        "command": "nevo-tui hook # nevo-tui-hook created=group",
                        "timeout": 10
                    }
                ]
            }
        ],`);
    // The one-line Stop array gets a one-line group.
    expect(out).toContain(`"Stop": [ ${OTHER_STOP}, { "hooks": [ { "type": "command", "command": "nevo-tui hook # nevo-tui-hook created=group", "timeout": 10 } ] } ],`);
    expect(out).toContain(`${NOTIFICATION},
        "PostToolUseFailure": [
            {
                "hooks": [`);
  });

  it('is idempotent: a second install returns the same bytes', () => {
    const once = installHooks(EXISTING, FILE, CMD);
    expect(installHooks(once, FILE, CMD)).toBe(once);
    const fresh = installHooks(null, FILE, CMD);
    expect(installHooks(fresh, FILE, CMD)).toBe(fresh);
  });

  it('counts any nevo-tui handler as installed, whatever its form, matcher or group', () => {
    const text = `{
  "hooks": {
    "Stop": [
      { "matcher": "", "hooks": [ { "type": "command", "command": "echo" }, { "type": "command", "command": "\\"/usr/bin/node\\" \\"/x/nevo-tui/dist/cli.js\\" hook" } ] }
    ]
  }
}
`;
    const out = installHooks(text, FILE, CMD);
    expect(json(out).hooks.Stop).toEqual(json(text).hooks.Stop);
    expect(hooksStatus(out, FILE).every((s) => s.installed)).toBe(true);
  });

  it('counts the command being installed as nevo-tui’s even when it does not say so', () => {
    const cmd = '"/usr/bin/node" "/src/checkout/dist/cli.js" hook';
    const once = installHooks('{}', FILE, cmd);
    expect(installHooks(once, FILE, cmd)).toBe(once);
    expect(hooksStatus(once, FILE, cmd).every((s) => s.installed)).toBe(true);
    expect(uninstallHooks(once, FILE, cmd)).toBe('{}');
  });

  it('creates the whole file from nothing, recording what was there', () => {
    const expected = (created: string) => {
      const group = { hooks: [{ type: 'command', command: marked(created), timeout: 10 }] };
      return `${JSON.stringify({ hooks: Object.fromEntries(NEVO_HOOK_EVENTS.map((e) => [e, [group]])) }, null, 2)}\n`;
    };
    expect(installHooks(null, FILE, CMD)).toBe(expected('file'));
    expect(installHooks('', FILE, CMD)).toBe(expected('blank:'));
    expect(installHooks('  \n', FILE, CMD)).toBe(expected(`blank:${Buffer.from('  \n').toString('base64url')}`));
    expect(installHooks('{}\n', FILE, CMD)).toBe(expected('hooks'));
    expect(installHooks('{}', FILE, CMD)).toBe(expected('hooks').trimEnd());
  });

  it('adds "hooks" after the last key of a file without one', () => {
    const text = '{\n\t"model": "opus"\n}\n';
    const out = installHooks(text, FILE, CMD);
    expect(out.startsWith('{\n\t"model": "opus",\n\t"hooks": {\n\t\t"PostToolUse": [\n\t\t\t{\n')).toBe(true);
    expect(json(out).model).toBe('opus');
  });

  it('keeps CRLF line endings, a byte order mark and comments', () => {
    const text = '\uFEFF{\r\n  // my settings\r\n  "hooks": {\r\n    "Stop": [] /* none yet */\r\n  }\r\n}\r\n';
    const out = installHooks(text, FILE, CMD);
    expect(out.startsWith('\uFEFF{\r\n  // my settings\r\n  "hooks": {\r\n    "Stop": [\r\n      {\r\n')).toBe(true);
    expect(out).toContain('/* none yet */');
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    const value = parse(out.slice(1));
    expect(value.hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: marked('group'), timeout: 10 }] }]);
    expect(uninstallHooks(out, FILE)).toBe(text);
  });

  it('keeps a minified file on one line', () => {
    const text = '{"permissions":{"allow":["Read"]},"hooks":{"Stop":[{"hooks":[{"type":"command","command":"x"}]}]}}';
    const out = installHooks(text, FILE, CMD);
    expect(out).not.toContain('\n');
    expect(out.startsWith('{"permissions":{"allow":["Read"]},"hooks":{"Stop":[{"hooks":[{"type":"command","command":"x"}]},{"hooks":[')).toBe(true);
    expect(Object.keys(json(out).hooks)).toHaveLength(NEVO_HOOK_EVENTS.length);
    expect(uninstallHooks(out, FILE)).toBe(text);
  });
});

describe('uninstallHooks', () => {
  it('gives back the original bytes after install', () => {
    const samples = [
      EXISTING,
      '{}',
      '{}\n',
      '{\n  "model": "opus"\n}\n',
      '{\n  "hooks": {\n    "Notification": []\n  },\n  "env": { "A": "1" }\n}\n',
      '{\n  "hooks": {\n    "Stop": [\n      { "hooks": [] }\n    ]\n  }\n}\n',
      '{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"x"}]}]}}',
    ];
    for (const text of samples) {
      const installed = installHooks(text, FILE, CMD);
      expect(installed).not.toBe(text);
      expect(uninstallHooks(installed, FILE), text).toBe(text);
    }
  });

  it('removes only nevo-tui handlers, and only the containers it emptied', () => {
    const text = `{
  "hooks": {
    "PreToolUse": [ { "hooks": [ { "type": "command", "command": "nevo-tui hook" } ] } ],
    "Stop": [
      { "hooks": [ { "type": "command", "command": "nevo-tui hook" }, { "type": "command", "command": "keep-me" } ] },
      { "hooks": [] }
    ],
    "SessionEnd": [
      { "matcher": "clear", "hooks": [ { "type": "command", "command": "nevo-tui hook", "timeout": 10 } ] },
      { "hooks": [ { "type": "command", "command": "bye" } ] }
    ]
  },
  "model": "opus"
}
`;
    const out = uninstallHooks(text, FILE);
    expect(out).toBe(`{
  "hooks": {
    "Stop": [
      { "hooks": [ { "type": "command", "command": "keep-me" } ] },
      { "hooks": [] }
    ],
    "SessionEnd": [
      { "hooks": [ { "type": "command", "command": "bye" } ] }
    ]
  },
  "model": "opus"
}
`);
    expect(uninstallHooks(out, FILE)).toBe(out);
  });

  it('keeps an event or "hooks" object that was there, empty, before install', () => {
    const samples = [
      '{\n  "hooks": {}\n}\n',
      '{\n  "hooks": { /* none yet */ }\n}\n',
      '{\n  "hooks": {\n    // none yet\n  }\n}\n',
      '{\n  "hooks": {\n    "Stop": []\n  },\n  "env": {}\n}\n',
      '{"hooks":{"Stop":[],"SessionEnd":[ ]}}',
      '{"hooks":{ }}',
      '{\n  "hooks": {\n  },\n  "env": {}\n}\n',
      '{\n  "hooks": { "Stop": [\n    ], "SessionEnd": [ ] }\n}\n',
      '{\n  "hooks": {\n    "Stop": [\n      // later\n    ]\n  }\n}\n',
      '{\n}\n',
      '{ }',
      '\uFEFF{\r\n}\r\n',
    ];
    for (const text of samples) expect(uninstallHooks(installHooks(text, FILE, CMD), FILE), text).toBe(text);
  });

  it('gives back a blank file byte for byte, and answers null for the file install created', () => {
    for (const text of ['', ' ', '\n', '  \r\n\t\n', '\uFEFF', '\uFEFF\n']) {
      const installed = installHooks(text, FILE, CMD);
      expect(json(installed).hooks.Stop).toHaveLength(1);
      expect(uninstallHooks(installed, FILE), JSON.stringify(text)).toBe(text);
      expect(uninstallHooks(installed, FILE, CMD), JSON.stringify(text)).toBe(text);
    }
    expect(uninstallHooks(installHooks(null, FILE, CMD), FILE)).toBeNull();
    expect(uninstallHooks(installHooks(null, FILE, CMD), FILE, CMD)).toBeNull();
  });

  it('keeps a file install created once something else was added to it', () => {
    const created = installHooks(null, FILE, CMD);
    const withModel = created.replace('{\n', '{\n  "model": "opus",\n');
    expect(uninstallHooks(withModel, FILE)).toBe('{\n  "model": "opus"\n}\n');
    const withComment = created.replace('{\n', '{\n  // mine\n');
    expect(uninstallHooks(withComment, FILE)).toBe('{\n  // mine\n}\n');
    const withOther = installHooks(null, FILE, CMD).replace('"hooks": {\n', '"hooks": {\n    "Notification": [],\n');
    expect(uninstallHooks(withOther, FILE)).toBe('{\n  "hooks": {\n    "Notification": []\n  }\n}\n');
    // The blank text comes back only from an empty object too.
    expect(uninstallHooks(installHooks('\n', FILE, CMD).replace('{\n', '{\n  "model": "x",\n'), FILE)).toBe('{\n  "model": "x"\n}\n');
  });

  it('leaves handlers that only look like nevo-tui’s', () => {
    const others = [
      'notify-nevo-tui-channel.sh hook',
      'NEVO_WORKSPACE=/other nevo-tui hook',
      '/opt/nevo-tui/bin/notify hook',
      'nevo-tui hook --verbose',
      'echo nevo-tui hook',
    ];
    for (const command of others) expect(isNevoCommand(command), command).toBe(false);
    const text = `{\n  "hooks": {\n    "Stop": [\n${others.map((c) => `      { "hooks": [ { "type": "command", "command": ${JSON.stringify(c)} } ] }`).join(',\n')}\n    ]\n  }\n}\n`;
    expect(uninstallHooks(text, FILE)).toBe(text);
    expect(uninstallHooks(text, FILE, CMD)).toBe(text);
    expect(eventsWithNevoHooks(text, FILE, CMD)).toEqual([]);
    const installed = installHooks(text, FILE, CMD);
    expect(commands(installed).Stop).toEqual([...others, marked('group')]);
    expect(uninstallHooks(installed, FILE)).toBe(text);
  });

  it('finds its handlers whatever path nevo-tui was installed from', () => {
    const a = '"/usr/bin/node" "/src/checkout/dist/bin.cjs" hook';
    const b = '"/usr/local/bin/node" "/home/me/tools/app/dist/bin.cjs" hook';
    const c = '"/n" "/elsewhere/bin.cjs" hook';
    for (const text of ['{}', EXISTING, '{\n  "hooks": { /* none yet */ }\n}\n', '{\n  "hooks": {\n  }\n}\n', '{"hooks":{"Stop":[ ]}}', null, '\n']) {
      const once = installHooks(text, FILE, a);
      // Installed from b: nevo-tui's handlers now run b, none is added.
      const twice = installHooks(once, FILE, b);
      const all = Object.values(commands(twice)).flat();
      expect(all).toHaveLength(Object.values(commands(text?.trim() ? text : '{}')).flat().length + NEVO_HOOK_EVENTS.length);
      expect(all.filter((command) => isNevoCommand(command))).toHaveLength(NEVO_HOOK_EVENTS.length);
      expect(all.filter((command) => parseMarkedCommand(command)?.base === b)).toHaveLength(NEVO_HOOK_EVENTS.length);
      expect(installHooks(twice, FILE, b)).toBe(twice);
      // Seen from any path, all are installed.
      for (const command of [a, b, c, undefined]) expect(hooksStatus(twice, FILE, command).every((s) => s.installed), String(command)).toBe(true);
      // And uninstall from any path gives back the original.
      for (const command of [a, b, c, undefined]) expect(uninstallHooks(twice, FILE, command), String(text)).toBe(text);
    }
  });

  it('replaces only the command of a handler installed from another path', () => {
    const a = '"/usr/bin/node" "/src/checkout/dist/bin.cjs" hook';
    const b = '"/usr/bin/node" "/src/other/dist/bin.cjs" hook';
    const once = installHooks(EXISTING, FILE, a);
    const twice = installHooks(once, FILE, b);
    expect(twice).toBe(once.split(JSON.stringify(a).slice(1, -1)).join(JSON.stringify(b).slice(1, -1)));
  });

  it('removes a "hooks" object it left empty', () => {
    const text = '{\n  "model": "opus",\n  "hooks": {\n    "Stop": [ { "hooks": [ { "type": "command", "command": "nevo-tui hook" } ] } ]\n  }\n}\n';
    expect(uninstallHooks(text, FILE)).toBe('{\n  "model": "opus"\n}\n');
  });

  it('treats a missing file as nothing installed', () => {
    expect(uninstallHooks(null, FILE)).toBeNull();
    expect(uninstallHooks('', FILE)).toBe('');
    expect(uninstallHooks('{"model":"x"}', FILE)).toBe('{"model":"x"}');
  });
});

describe('hooksStatus', () => {
  it('reports each event', () => {
    expect(hooksStatus(null, FILE)).toEqual(NEVO_HOOK_EVENTS.map((event) => ({ event, installed: false })));
    expect(hooksStatus(EXISTING, FILE).every((s) => !s.installed)).toBe(true);
    expect(hooksStatus(installHooks(EXISTING, FILE, CMD), FILE).every((s) => s.installed)).toBe(true);
    const partial = '{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"nevo-tui hook"}]}],"PermissionRequest":[{"hooks":[{"type":"command","command":"nevo-tui hook"}]}]}}';
    expect(hooksStatus(partial, FILE).filter((s) => s.installed).map((s) => s.event)).toEqual(['Stop']);
    expect(eventsWithNevoHooks(partial, FILE)).toEqual(['Stop', 'PermissionRequest']);
  });
});

describe('refusing broken files', () => {
  const all = [
    (t: string) => installHooks(t, FILE, CMD),
    (t: string) => uninstallHooks(t, FILE),
    (t: string) => hooksStatus(t, FILE),
  ];

  it('names the file, line and column of invalid JSON', () => {
    const text = '{\n  "model": "opus"\n  "hooks": {}\n}\n';
    for (const fn of all) {
      const err = thrown(() => fn(text));
      expect(err.message).toContain(FILE);
      expect(err.message).toContain('not valid JSON');
      expect(err.message).toContain('line 3, column 3');
      expect(err.message).toContain('expected a comma');
    }
    expect(thrown(() => installHooks('{"hooks": {', FILE, CMD)).message).toMatch(/line 1, column 12/);
    expect(thrown(() => installHooks('{} {}', FILE, CMD)).message).toMatch(/line 1, column 4/);
  });

  it('names the field that has the wrong type', () => {
    const cases: [string, RegExp][] = [
      ['[]', /the top level must be an object, found an array \(line 1, column 1\)/],
      ['{"hooks": []}', /"hooks" must be an object, found an array/],
      ['{"hooks": null}', /"hooks" must be an object, found a null/],
      ['{"hooks": {"Stop": {"hooks": []}}}', /"hooks\.Stop" must be an array of matcher groups, found an object/],
      ['{"hooks": {"Other": "x"}}', /"hooks\.Other" must be an array of matcher groups, found a string/],
      ['{"hooks": {"Stop": [1]}}', /"hooks\.Stop\[0\]" must be an object, found a number/],
      ['{"hooks": {"Stop": [{"hooks": {}}]}}', /"hooks\.Stop\[0\]\.hooks" must be an array of handlers, found an object/],
      ['{"hooks": {"Stop": [{"hooks": ["nevo-tui hook"]}]}}', /"hooks\.Stop\[0\]\.hooks\[0\]" must be an object, found a string/],
      ['{"hooks": {}, "hooks": {}}', /"hooks" appears twice/],
      ['{"hooks": {"Stop": [], "Stop": []}}', /"hooks\.Stop" appears twice/],
    ];
    for (const [text, message] of cases) {
      for (const fn of all) {
        const err = thrown(() => fn(text));
        expect(err.message, text).toMatch(message);
        expect(err.message).toContain(FILE);
      }
    }
  });
});

describe('installHooks with a plan (the form for a Claude Code version, the guards)', () => {
  const form = hookForm('2.1.332');
  const VCMD = withClaudeVersion(CMD, '2.1.332');
  const noGuards = planHooks({ form, guards: [], sessionContext: false, capture: 'call' });
  const guarded = planHooks({ form, guards: [{ tool: 'Bash', program: 'pnmp' }, { tool: 'Bash', program: 'tree' }], sessionContext: false, capture: 'call' });
  const SAMPLES: (string | null)[] = [
    null,
    '',
    '{}',
    EXISTING,
    '{\n  "hooks": {}\n}\n',
    '{\n  "hooks": {\n    "PreToolUse": [ ]\n  }\n}\n',
    '{\n  "hooks": {\n    "PreToolUse": [\n      { "matcher": "Bash", "hooks": [ { "type": "command", "command": "./check.sh" } ] }\n    ]\n  }\n}\n',
    '{"hooks":{"PreToolUse":[]}}',
  ];

  it('writes async handlers for capture and one `if` handler per guard pattern; no PreToolUse without a guard', () => {
    const out = json(installHooks('{}', FILE, VCMD, guarded));
    const handler = (event: string) => out.hooks[event][0].hooks;
    expect(handler('PostToolUse')).toEqual([{ type: 'command', command: marked('hooks', VCMD), timeout: 10, async: true }]);
    expect(handler('Stop')).toEqual([{ type: 'command', command: marked('hooks', VCMD), timeout: 10 }]);
    expect(handler('PreToolUse')).toEqual([
      { type: 'command', command: marked('hooks', VCMD), timeout: 10, if: 'Bash(*pnmp*)' },
      { type: 'command', command: marked('hooks', VCMD), timeout: 10, if: 'Bash(*tree*)' },
    ]);
    expect(json(installHooks('{}', FILE, VCMD, noGuards)).hooks.PreToolUse).toBeUndefined();
  });

  it('follows the guards both ways and gives back the original bytes on uninstall, whatever was there', () => {
    for (const text of SAMPLES) {
      const label = JSON.stringify(text);
      const none = installHooks(text, FILE, VCMD, noGuards);
      const some = installHooks(none, FILE, VCMD, guarded);
      expect(json(some).hooks.PreToolUse.at(-1).hooks.map((h: { if: string }) => h.if), label).toEqual(['Bash(*pnmp*)', 'Bash(*tree*)']);
      expect(installHooks(some, FILE, VCMD, guarded), label).toBe(some);
      // Back to no guard: the same bytes as before the guards came.
      expect(installHooks(some, FILE, VCMD, noGuards), label).toBe(none);
      expect(uninstallHooks(some, FILE), label).toBe(text === null ? null : text);
      expect(uninstallHooks(none, FILE), label).toBe(text === null ? null : text);
    }
  });

  it('rewrites the handlers of an earlier form in place, keeping what their markers recorded', () => {
    for (const text of SAMPLES) {
      const label = JSON.stringify(text);
      const legacy = installHooks(text, FILE, CMD);
      const upgraded = installHooks(legacy, FILE, VCMD, guarded);
      // An event only the new form has (InstructionsLoaded) is added to a file that was there: its marker says `event`.
      const created = (t: string) => t.replace(/(InstructionsLoaded[\s\S]*?created=)[^"]*/, '$1…');
      expect(created(upgraded), label).toBe(created(installHooks(text, FILE, VCMD, guarded)));
      expect(upgraded, label).toMatch(/InstructionsLoaded[\s\S]*?created=event/);
      expect(uninstallHooks(upgraded, FILE), label).toBe(text === null ? null : text);
      // And back to the form every version reads.
      expect(installHooks(upgraded, FILE, CMD), label).toBe(legacy);
    }
  });

  it('records the Claude Code version in the command, where older versions of nevo-tui still find the marker', () => {
    const out = installHooks(null, FILE, VCMD, noGuards);
    expect(installedCommand(out, FILE)).toEqual({ base: VCMD, version: '2.1.332' });
    const command = json(out).hooks.Stop[0].hooks[0].command as string;
    expect(command).toBe(`${CMD} # claude-code=2.1.332 # nevo-tui-hook created=file`);
    expect(parseMarkedCommand(command)).toMatchObject({ base: VCMD, created: { kind: 'file' } });
    // The marker an older nevo-tui looks for still ends the command.
    expect(/ # nevo-tui-hook created=([A-Za-z0-9_:-]*)(?: ws=([A-Za-z0-9_-]*))?$/.test(command)).toBe(true);
    expect(withClaudeVersion(command, null)).toBe(CMD);
    expect(installedCommand(installHooks(null, FILE, CMD), FILE)).toEqual({ base: CMD, version: null });
  });

  it('leaves an unmarked handler of an older nevo-tui alone', () => {
    const text = '{\n  "hooks": {\n    "Stop": [ { "hooks": [ { "type": "command", "command": "nevo-tui hook" } ] } ]\n  }\n}\n';
    const out = installHooks(text, FILE, VCMD, guarded);
    expect(json(out).hooks.Stop).toEqual(json(text).hooks.Stop);
  });
});
