// Fires `count` hook events through the hook's own code path (everything after reading stdin),
// as one of several processes racing each other and the ingester.
import { handleInput } from '../../src/hook.js';

const [root, countArg, prefix] = process.argv.slice(2);
const env = { ...process.env, NEVO_WORKSPACE: root! };
for (let i = 0; i < Number(countArg); i++) {
  const payload = {
    session_id: `${prefix}`,
    transcript_path: '/tmp/t.jsonl',
    cwd: '/tmp',
    hook_event_name: i % 5 === 0 ? 'PostToolUseFailure' : 'PostToolUse',
    tool_name: 'Bash',
    tool_input: { command: `npm run step-${i}` },
    ...(i % 5 === 0 ? { error: `Exit code 1\nnpm ERR! missing script: step-${i}` } : { tool_response: { stdout: 'ok', stderr: '', interrupted: false, isImage: false } }),
  };
  const text = Buffer.from(JSON.stringify(payload));
  if (!handleInput({ head: text, bytes: text.length, timedOut: false }, env)) throw new Error('no trigger written');
}
