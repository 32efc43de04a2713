import { createHash } from 'node:crypto';

/**
 * One id per tool call, whoever reports it: the hook live or a transcript read later. So importing
 * a transcript twice, or after its hooks fired, or at the end of each turn, adds nothing twice.
 */
export function transcriptEventId(session: string, toolUseId: string): string {
  return `tx-${createHash('sha256').update(`${session}\n${toolUseId}`).digest('hex').slice(0, 24)}`;
}

const CALL_EVENTS = new Set(['PostToolUse', 'PostToolUseFailure']);

/** The id of a hook's PostToolUse or PostToolUseFailure event: its call's, as a transcript would give it. Null without a session and call id. */
export function callEventId(payload: Record<string, unknown>): string | null {
  const { session_id: session, tool_use_id: call, hook_event_name: kind } = payload;
  if (!CALL_EVENTS.has(String(kind)) || typeof session !== 'string' || !session || typeof call !== 'string' || !call) return null;
  return transcriptEventId(session, call);
}
