#!/bin/sh
# Runs `nevo-tui ARGS...` for the plugin's /nevo command, found as the hook finds it: the project's
# node_modules/.bin, then PATH, then npx's cache. When it is not there, it says so and how to get it.
command -v node >/dev/null || { echo "nevo-tui: no node on PATH ($PATH)" >&2; exit 1; }
for p in "${CLAUDE_PROJECT_DIR:-.}/node_modules/.bin/nevo-tui" "$(command -v nevo-tui)" "$HOME"/.npm/_npx/*/node_modules/.bin/nevo-tui; do [ -x "$p" ] && exec "$p" "$@"; done
echo "nevo-tui: not in node_modules/.bin, on PATH ($PATH) or in the npx cache; install it in the project with \`npm i -D nevo-tui\`" >&2
exit 1
