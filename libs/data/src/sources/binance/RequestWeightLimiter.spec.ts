import { RequestWeightLimiter } from './RequestWeightLimiter';

function limiter(limitPerMinute: number, start: number) {
  const clock = { t: start, sleeps: [] as number[] };
  const l = new RequestWeightLimiter({
    limitPerMinute,
    now: () => clock.t,
    sleep: async (ms) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  });
  return { l, clock };
}

const MINUTE = 60_000;

describe('RequestWeightLimiter', () => {
  it('admits requests while they fit the rolling minute, then waits for the oldest to age out', async () => {
    const { l, clock } = limiter(10, 5 * MINUTE);
    await l.acquire(4);
    clock.t += 1_000;
    await l.acquire(4);
    await l.acquire(4); // 12 > 10: waits until the first (at +0 s) leaves the window
    expect(clock.sleeps).toEqual([59_000]);
  });

  it('waits for the next minute when the server count has reached the limit, not after', async () => {
    const { l, clock } = limiter(1200, 7 * MINUTE + 45_000);
    l.observeUsedWeight(1199);
    expect(l.waitFor(2)).toBe(15_000);
    expect(l.waitFor(1)).toBe(0);
    clock.t = 8 * MINUTE; // a new minute: the old count no longer applies
    expect(l.waitFor(2)).toBe(0);
  });

  it('keeps the highest count seen within a minute (responses may arrive out of order)', () => {
    const { l } = limiter(100, 0);
    l.observeUsedWeight(100);
    l.observeUsedWeight(40);
    expect(l.waitFor(1)).toBe(MINUTE);
  });

  it('holds every request after block() and admits callers one at a time', async () => {
    const { l, clock } = limiter(1200, 0);
    l.block(3_000);
    await Promise.all([l.acquire(1), l.acquire(1)]);
    expect(clock.sleeps).toEqual([3_000]);
  });
});
