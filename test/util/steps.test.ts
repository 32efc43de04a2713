import { describe, expect, it } from 'vitest';
import { finish, finishInSlices } from '../../src/util/steps.js';

function* count(to: number, log: string[]): Generator<void, number> {
  let sum = 0;
  for (let i = 1; i <= to; i++) {
    sum += i;
    log.push(`step ${i}`);
    yield;
  }
  return sum;
}

describe('steps', () => {
  it('finish runs every step and returns the result', () => {
    const log: string[] = [];
    expect(finish(count(4, log))).toBe(10);
    expect(log).toHaveLength(4);
  });

  it('finishInSlices gives the event loop back between slices, and returns the same result', async () => {
    const log: string[] = [];
    let t = 0;
    // Every reading of this clock is 2.5 ms later, so a 10 ms slice holds two steps.
    const clock = () => (t += 2.5);
    const other = (async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((r) => setImmediate(r));
        log.push('other');
      }
    })();
    const sum = await finishInSlices(count(6, log), 10, clock);
    await other;
    expect(sum).toBe(21);
    expect(log.filter((l) => l.startsWith('step'))).toEqual(['step 1', 'step 2', 'step 3', 'step 4', 'step 5', 'step 6']);
    // Something else ran between the first and the last step.
    expect(log.slice(log.indexOf('step 1'), log.indexOf('step 6')).includes('other')).toBe(true);
  });
});
