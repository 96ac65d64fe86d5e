/** Virtual time for the pacing tests: sleeping advances it at once. */
import type { Clock } from '../../src/ui/throttle.ts';

export function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return { now: () => t, sleep: async (ms) => void (slept.push(ms), (t += ms)), slept };
}
