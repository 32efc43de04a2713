import { capPayload } from './cap.js';
import { redactValue } from '../redact/redact.js';

/**
 * What may be written of a payload: secrets redacted, large fields capped. The first cut leaves a
 * margin so that a secret lying across it is still whole, and so recognised, when redaction runs.
 */
export function cleanPayload(payload: Record<string, unknown>): Record<string, unknown> {
  return capPayload(redactValue(capPayload(payload, undefined, 512)));
}
