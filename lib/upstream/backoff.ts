/** Delay before reconnect attempt `attempt` (1-based). Injectable so tests need not wait. */
export type BackoffPolicy = (attempt: number) => number;

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** Fraction of the delay that is randomised (0 = none, 0.5 = ±25 %). */
  jitter?: number;
  random?: () => number;
}

/** Capped exponential backoff with jitter: 250 ms, 500 ms, 1 s … up to 30 s by default. */
export function exponentialBackoff(opts: BackoffOptions = {}): BackoffPolicy {
  const initial = opts.initialMs ?? 250;
  const max = opts.maxMs ?? 30_000;
  const factor = opts.factor ?? 2;
  const jitter = opts.jitter ?? 0.5;
  const random = opts.random ?? Math.random;
  return (attempt) => {
    const base = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
    const spread = base * jitter;
    return Math.max(0, Math.min(max, Math.round(base - spread / 2 + random() * spread)));
  };
}
