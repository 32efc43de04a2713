// The real-client tests' set-up: test/helpers/claude-session.ts runs the pinned Claude Code; this
// starts a mock Messages API for each describe block (scratch folders go after each test, test/helpers/cleanup.ts).
import { afterAll, beforeAll } from 'vitest';
import { startMockMessages, type MockMessages } from './mock-messages.js';

export * from './claude-session.js';

/**
 * One mock Messages API for a describe block, started before its tests and closed after them.
 * `mock` is there once the tests run.
 */
export function useMockMessages(script?: Parameters<typeof startMockMessages>[0]): { mock: MockMessages } {
  const ctx = {} as { mock: MockMessages };
  beforeAll(async () => {
    ctx.mock = await startMockMessages(script);
  });
  afterAll(() => ctx.mock?.close());
  return ctx;
}

