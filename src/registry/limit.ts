/**
 * How many requests may be in flight to one registry host: an adaptive limit in the manner of TCP
 * congestion control (additive increase, multiplicative decrease). It starts at `initial`, grows by
 * one each time a full window of requests succeeds, up to `max`, and halves when the registry says
 * it is overloaded (429 Too Many Requests, 503). So a registry with room is read quickly, and one
 * that pushes back gets fewer requests at once, on top of the Retry-After waits of each retry.
 * With `initial === max` it is a plain counting semaphore.
 */

/** What a request's answer says about the load it put on the registry. */
export type Outcome = 'ok' | 'throttled' | 'neutral';

export class AdaptiveLimit {
  #limit: number;
  readonly #max: number;
  #inFlight = 0;
  #successes = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(initial: number, max: number = initial) {
    if (!Number.isInteger(initial) || initial < 1)
      throw new RangeError(`initial limit ${initial} is not a positive integer`);
    this.#limit = initial;
    this.#max = Math.max(initial, max);
  }

  /** The number of requests allowed in flight now. */
  get limit(): number {
    return this.#limit;
  }

  /** Wait for a slot. */
  async acquire(): Promise<void> {
    if (this.#inFlight < this.#limit) {
      this.#inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Give a slot back, saying how the request went, and let waiting requests in. */
  release(outcome: Outcome = 'neutral'): void {
    this.#inFlight--;
    if (outcome === 'throttled') {
      this.#limit = Math.max(1, Math.floor(this.#limit / 2));
      this.#successes = 0;
    } else if (outcome === 'ok' && this.#limit < this.#max && ++this.#successes >= this.#limit) {
      this.#limit++;
      this.#successes = 0;
    }
    while (this.#inFlight < this.#limit && this.#waiting.length > 0) {
      this.#inFlight++;
      this.#waiting.shift()!();
    }
  }

  /** Run a task holding one slot; its outcome is neutral. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }
}
