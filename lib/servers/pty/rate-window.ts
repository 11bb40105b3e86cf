/** A one-second byte budget: `take(n)` says how many of n bytes fit in the current window. */
export class RateWindow {
  private windowStart = 0;
  private used = 0;
  constructor(public bytesPerSecond: number) {}

  take(n: number, now = Date.now()): number {
    if (this.bytesPerSecond <= 0) return n;
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.used = 0;
    }
    const allowed = Math.max(0, Math.min(n, this.bytesPerSecond - this.used));
    this.used += allowed;
    return allowed;
  }
}
