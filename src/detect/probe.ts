// `nevo-tui hooks status` runs each registered command once with this environment set: the hook
// answers on stdout that it runs (and which workspace it found) and records nothing.
export const PROBE_ENV = 'NEVO_HOOK_PROBE';
export const PROBE_ANSWER = 'nevo-tui hook: ready';
