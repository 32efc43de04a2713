#!/bin/sh
# nevo-tui's hook as its Claude Code plugin runs it (hooks/hooks.json passes the event's name):
# `nevo-tui hook`, the event on stdin. It never fails the agent's call: it exits 0, or 2 when
# nevo-tui blocks the call (the guard of an active rule). The plugin carries no nevo-tui (a git
# install is a bare clone, nothing built), so it is found as the command `hooks install --scope
# project` writes finds it: the project's node_modules/.bin, then PATH, then npx's cache; without
# one it says so on stderr and exits 0. First, with shell builtins only, it steps aside:
# - where a settings file Claude Code reads for this project has nevo-tui's hooks (`nevo-tui hooks
#   install`): they record every event, so each event is recorded once;
# - where no workspace (.nevo/) is found from the project folder up: a project that does not use
#   nevo-tui (the plugin may be on for every project);
# - on PreToolUse, where the workspace has no active guard: nothing could be blocked.
# Its file name carries nevo's marker, nevo-tui-hook: the Stop hook finds the capture hooks still
# running by it in the process table, and waits for them.
event=$1
dir=${CLAUDE_PROJECT_DIR:-$PWD}

# Whether one of these settings files has a handler of nevo-tui's: its marker, or the command of
# an older version that wrote none (`nevo-tui hook`, `"<node>" "<...nevo-tui...>" hook`).
has_nevo_hooks() {
  for f in "$@"; do
    [ -f "$f" ] || continue
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in *'# nevo-tui-hook'* | *'nevo-tui hook"'* | *'nevo-tui'*'\" hook"'*) return 0 ;; esac
    done <"$f"
  done
  return 1
}
# Whether the workspace's guards.json holds a guard.
has_guard() {
  [ -f "$1" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in *'"rule":'*) return 0 ;; esac
  done <"$1"
  return 1
}

has_nevo_hooks "$dir/.claude/settings.json" "$dir/.claude/settings.local.json" "${CLAUDE_CONFIG_DIR:-$HOME/.claude}/settings.json" "$HOME/.claude/settings.json" && exit 0
if [ -z "$NEVO_WORKSPACE" ]; then
  ws=
  d=$dir
  while :; do
    if [ -f "$d/.nevo/config.json" ]; then ws=$d/.nevo; break; fi
    case $d in */*) ;; *) break ;; esac
    [ "$d" = / ] && break
    d=${d%/*}
  done
  [ -n "$ws" ] || exit 0
  [ "$event" = PreToolUse ] && ! has_guard "$ws/guards.json" && exit 0
fi
command -v node >/dev/null || { echo "nevo-tui: no node on PATH ($PATH); event not recorded" >&2; exit 0; }
for p in "${CLAUDE_PROJECT_DIR:-.}/node_modules/.bin/nevo-tui" "$(command -v nevo-tui)" "$HOME"/.npm/_npx/*/node_modules/.bin/nevo-tui; do [ -x "$p" ] && exec "$p" hook; done
echo "nevo-tui: not in node_modules/.bin, on PATH ($PATH) or in the npx cache; event not recorded (npm i -D nevo-tui)" >&2
exit 0
