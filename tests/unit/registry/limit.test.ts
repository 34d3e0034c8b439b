import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../../src/registry/limit.ts';

/** Run `count` tasks through the limit, each releasing with `outcome`; return the most in flight at once. */
async function drive(
  limit: AdaptiveLimit,
  count: number,
  outcome: 'ok' | 'throttled',
): Promise<number> {
  let inFlight = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: count }, async () => {
      await limit.acquire();
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      limit.release(outcome);
    }),
  );
  return most;
}

describe('AdaptiveLimit', () => {
  it('is a plain semaphore when it may not grow', async () => {
    const limit = new AdaptiveLimit(3);
    expect(await drive(limit, 40, 'ok')).toBe(3);
    expect(limit.limit).toBe(3);
  });

  it('grows by one per full window of successes, up to its maximum', async () => {
    const limit = new AdaptiveLimit(2, 5);
    for (const [successes, expected] of [
      [1, 2],
      [1, 3], // 2 successes at limit 2
      [3, 4], // 3 more at limit 3
      [4, 5], // 4 more at limit 4
      [20, 5], // never past the maximum
    ] as const) {
      for (let i = 0; i < successes; i++) {
        await limit.acquire();
        limit.release('ok');
      }
      expect(limit.limit).toBe(expected);
    }
    expect(await drive(limit, 60, 'ok')).toBe(5);
  });

  it('halves when the registry pushes back, never below one, and lets no more in than it allows', async () => {
    const limit = new AdaptiveLimit(16, 16);
    await limit.acquire();
    limit.release('throttled');
    expect(limit.limit).toBe(8);
    for (let i = 0; i < 5; i++) {
      await limit.acquire();
      limit.release('throttled');
    }
    expect(limit.limit).toBe(1);
    expect(await drive(limit, 10, 'throttled')).toBe(1);
  });

  it('does not change on neutral answers (404, network errors)', async () => {
    const limit = new AdaptiveLimit(4, 16);
    for (let i = 0; i < 50; i++) {
      await limit.acquire();
      limit.release('neutral');
    }
    expect(limit.limit).toBe(4);
  });
});
