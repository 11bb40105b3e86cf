/**
 * Tells the echo of typed input apart from a program's own output, so that patterns (read_until,
 * prompt, quiescence) wait for what the program says, not for the terminal repeating what was typed.
 * Output is never altered: the filter only records which absolute byte ranges of the pty history are
 * echo.
 *
 * Model. Every write becomes an expectation: its bytes, with Enter (\r or \n) as a NEWLINE unit that
 * matches the terminal's "\r\n" or a raw "\n". Output is classified as it arrives:
 * - Front: the echo of a write must begin with the first visible output after the write, and continues
 *   for as long as the output follows the expectation. Cursor movement, erase and mode escape sequences,
 *   \r, BEL and backspace erasures (readline's "\b\e[K", the tty's "\b \b") are neutral: inside an echo
 *   they belong to it. The first visible byte that does not fit ends the front expectation, so a program
 *   with echo off (password prompts, `stty -echo`, raw programs) gets its output matched normally.
 * - Waiting lines: whole lines of a multi-line write that a line editor echoes one by one, after the
 *   output of the previous line's command (readline in bash, python3 -i). Such a line counts as echo only
 *   when it appears whole (every byte, then a newline) at the start of a line or after a prompt's space.
 * - Re-echo: input typed while a shell is busy is echoed by the terminal at once and again by readline
 *   when it finally reads it. Every echoed line stays a candidate for that second echo, under the same
 *   whole-line rule but only right after a prompt (`$ `, `# `, `> `, `% `, `... `), never at the very first
 *   output after its echo (that is `cat` answering the line) nor in a program's own line such as
 *   `done: y` (a program repeating an answer it read).
 * Input with control keys (Tab, arrows, Ctrl-C) is unpredictable to echo from the first such key on.
 */

const NEWLINE = -1;
const MAX_EXPECTED = 64 * 1024;
const MAX_CANDIDATES = 32;
const CANDIDATE_TTL_MS = 15 * 60 * 1000;
/** Lines of a write whose echo never started (no echo, or output in flight) wait only this much output. */
const UNSTARTED_BUDGET = 1024;
const EMPTY = Buffer.alloc(0);

interface Candidate {
  /** A whole line: its bytes, then NEWLINE. */
  units: number[];
  /** Visible output count when its first echo ended: it may not start at the very next visible byte. */
  after: number;
  createdAt: number;
  /** Expires once the visible output count passes this (Infinity: bounded by TTL and count only). */
  untilOut: number;
  /** Already echoed once: this is a wait for the line editor's second echo (there is no third). */
  echoed: boolean;
}

/** Bytes of input as expected echo units; stops at the first key whose echo cannot be predicted. */
function expectedUnits(input: Uint8Array): number[] {
  const units: number[] = [];
  for (const b of input) {
    if (b === 0x0d || b === 0x0a) units.push(NEWLINE);
    else if (b === 0x7f || b === 0x08)
      continue; // the erase shows up as neutral output
    else if (b < 0x20 || b === 0x1b) break;
    else units.push(b);
  }
  return units;
}

/** Length of the escape sequence at `i` (which holds ESC), or 0 when it is not complete yet. */
function escapeLength(buf: Uint8Array, i: number): number {
  if (i + 1 >= buf.length) return 0;
  const kind = buf[i + 1]!;
  if (kind === 0x5b) {
    // CSI: parameters and intermediates, then one final byte.
    for (let j = i + 2; j < buf.length; j++) {
      const c = buf[j]!;
      if (c >= 0x40 && c <= 0x7e) return j - i + 1;
      if (c < 0x20 || c > 0x3f) return j - i; // malformed: end before the odd byte
    }
    return 0;
  }
  if (kind === 0x5d || kind === 0x50 || kind === 0x5f) {
    // OSC / DCS / APC: up to BEL or ESC \
    for (let j = i + 2; j < buf.length; j++) {
      if (buf[j] === 0x07) return j - i + 1;
      if (buf[j] === 0x1b) return j + 1 < buf.length ? (buf[j + 1] === 0x5c ? j - i + 2 : j - i) : 0;
    }
    return 0;
  }
  if (kind >= 0x20 && kind <= 0x2f) return i + 2 < buf.length ? 3 : 0; // ESC ( B and friends
  return 2;
}

export class EchoFilter {
  /** Echo ranges as flat [start, end) pairs of absolute offsets, ascending and disjoint. */
  private ranges: number[] = [];
  /** Absolute offset of the next byte to classify (bytes in `carry` start here). */
  private pos = 0;
  private carry: Uint8Array = EMPTY;
  private front: number[] = [];
  private fi = 0;
  private lineStart = 0;
  /** Neutral bytes right after a finished echo (bash's "\e[?2004l\r") still belong to it. */
  private echoTail = false;
  private afterBackspace = false;
  private waiting: Candidate[] = [];
  /** First bytes of the waiting lines, for a quick skip over output that cannot start one. */
  private starts = new Uint8Array(256);
  /** Lines the output has followed so far (same prefix), from offset `start`; `i` units matched. */
  private tentative: { cands: Candidate[]; i: number; start: number } | null = null;
  /** Whether an echo may start after the last classified byte: line start, a space, or a neutral. */
  private prevOk = true;
  /** The last three visible bytes (oldest in the high byte), to recognise a prompt before a re-echo. */
  private tail = 0;
  /** Visible program-output bytes classified so far. */
  private visibleOut = 0;
  /** Set by feed when some bytes were classified as program output. */
  sawOutput = false;

  /** `start`: history offset of the first byte this filter will be fed. */
  constructor(
    private readonly enabled: boolean,
    start = 0,
  ) {
    this.pos = start;
  }

  /** Everything before this offset is classified (echo or program output). */
  get decided(): number {
    return this.tentative ? this.tentative.start : this.pos;
  }

  /** Records input just written to the terminal. */
  expect(input: Uint8Array): void {
    if (!this.enabled) return;
    this.dropTentative();
    const units = expectedUnits(input);
    if (units.length === 0) return;
    // Keep the unfinished expectation, from the start of its current line (a whole line is remembered).
    const pending = this.fi < this.front.length;
    const rest = pending ? this.front.slice(this.lineStart) : [];
    this.fi = pending ? this.fi - this.lineStart : 0;
    this.lineStart = 0;
    this.front = rest.concat(units).slice(0, MAX_EXPECTED);
  }

  /** Classifies bytes appended to the history (call with every byte appended, in order). */
  feed(chunk: Uint8Array): void {
    this.sawOutput = false;
    if (!this.enabled || this.idle()) {
      if (chunk.length > 0) this.plainOutput(chunk, 0, chunk.length);
      this.pos += chunk.length;
      return;
    }
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const base = this.pos - this.carry.length;
    this.carry = EMPTY;
    this.expireCandidates();
    let i = 0;
    while (i < buf.length) {
      if (this.fi >= this.front.length && !this.tentative && !this.echoTail && !this.afterBackspace) {
        // Plain program output: skip ahead to the next byte that could begin an escape or a waiting line.
        let j = i;
        let ok = this.prevOk;
        for (; j < buf.length; j++) {
          const c = buf[j]!;
          if (c === 0x1b || (ok && this.starts[c] === 1)) break;
          ok = c === 0x0a || c === 0x20 || c === 0x0d || c === 0x07 || c === 0x08 || c === 0x00;
        }
        if (j > i) {
          this.sawOutput = true;
          this.visibleOut += j - i;
          this.pushTail(buf, i, j);
          this.prevOk = ok;
          i = j;
          this.pos = base + i;
          continue;
        }
      }
      const b = buf[i]!;
      let len = 1;
      let neutral = false;
      if (b === 0x1b) {
        len = escapeLength(buf, i);
        if (len === 0) break;
        neutral = true;
      } else if (b === 0x0d || b === 0x07 || b === 0x00 || b === 0x08) {
        neutral = true;
      } else if (b === 0x20 && this.afterBackspace) {
        // The tty erases with "\b \b": a space right after a backspace is part of it when \b follows.
        if (i + 1 >= buf.length) break;
        if (buf[i + 1] === 0x08) {
          len = 2;
          neutral = true;
        }
      }
      const at = base + i;
      if (neutral) this.neutral(at, len, b === 0x08 || (len === 2 && b === 0x20));
      else this.visible(b, at);
      i += len;
      this.pos = base + i;
    }
    this.carry = i < buf.length ? Buffer.from(buf.subarray(i)) : EMPTY;
  }

  /** Appended bytes that are ours, not the program's (throttle markers): output, state unchanged. */
  skip(n: number): void {
    this.flushPending();
    this.pos += n;
  }

  /** The child is gone: nothing more will complete, so everything pending is program output. */
  finish(): void {
    this.flushPending();
    this.front = [];
    this.fi = 0;
    this.waiting = [];
    this.rebuildStarts();
  }

  /** Forgets echo ranges that ended before `offset` (history dropped by the ring). */
  prune(offset: number): void {
    let k = 0;
    while (k < this.ranges.length && this.ranges[k + 1]! <= offset) k += 2;
    if (k > 0) this.ranges.splice(0, k);
  }

  /** Echo ranges overlapping [from, to), clipped, as flat pairs. */
  echoIn(from: number, to: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.ranges.length; k += 2) {
      const s = Math.max(this.ranges[k]!, from);
      const e = Math.min(this.ranges[k + 1]!, to);
      if (e > s) out.push(s, e);
    }
    return out;
  }

  /** Program-output bytes (not echo) in [from, decided). */
  outputBytesFrom(from: number): number {
    const to = this.decided;
    if (to <= from) return 0;
    let echo = 0;
    const r = this.echoIn(from, to);
    for (let k = 0; k < r.length; k += 2) echo += r[k + 1]! - r[k]!;
    return to - from - echo;
  }

  private flushPending(): void {
    this.dropTentative();
    if (this.carry.length > 0) this.plainOutput(this.carry, 0, this.carry.length);
    this.pos += this.carry.length;
    this.carry = EMPTY;
  }

  // ---- classification ----------------------------------------------------------------------------

  private idle(): boolean {
    return (
      this.fi >= this.front.length &&
      this.waiting.length === 0 &&
      !this.tentative &&
      !this.echoTail &&
      this.carry.length === 0
    );
  }

  private plainOutput(buf: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    this.sawOutput = true;
    this.visibleOut += to - from;
    this.pushTail(buf, from, to);
    const last = buf[to - 1]!;
    this.prevOk = last === 0x0a || last === 0x20 || last === 0x0d;
  }

  private neutral(at: number, len: number, backspace: boolean): void {
    if (this.tentative) return; // part of the line being matched; decided when it completes or fails
    const inEcho = (this.fi < this.front.length && this.fi > this.lineStart) || this.echoTail;
    if (inEcho) {
      this.mark(at, at + len);
      this.afterBackspace = backspace;
      return;
    }
    this.afterBackspace = false;
    this.sawOutput = true;
    this.prevOk = true;
  }

  private visible(b: number, at: number): void {
    const promptBefore = this.afterPrompt();
    this.tail = ((this.tail << 8) | b) & 0xffffff;
    this.afterBackspace = false;
    this.echoTail = false;
    if (this.fi < this.front.length) {
      const u = this.front[this.fi]!;
      if (u === b || (u === NEWLINE && b === 0x0a)) {
        this.mark(at, at + 1);
        this.fi++;
        if (u === NEWLINE) {
          this.remember(this.front.slice(this.lineStart, this.fi), this.visibleOut, Infinity, true);
          this.lineStart = this.fi;
          this.echoTail = true;
        }
        if (this.fi >= this.front.length) this.echoTail = true;
        this.prevOk = b === 0x0a || b === 0x20;
        return;
      }
      this.breakFront();
    }
    if (this.tentative) {
      const t = this.tentative;
      const fits = t.cands.filter((c) => {
        const u = c.units[t.i]!;
        return u === b || (u === NEWLINE && b === 0x0a);
      });
      if (fits.length > 0) {
        t.i++;
        t.cands = fits;
        const done = fits.find((c) => c.units.length === t.i);
        if (done) {
          this.mark(t.start, at + 1);
          this.waiting.splice(this.waiting.indexOf(done), 1);
          this.rebuildStarts();
          this.tentative = null;
          if (!done.echoed) this.remember(done.units, this.visibleOut, Infinity, true);
          this.echoTail = true;
          this.prevOk = true;
        }
        return;
      }
      this.dropTentative();
    }
    if (this.prevOk && this.waiting.length > 0) {
      const cands = this.waiting.filter(
        (c) => c.units[0] === b && this.visibleOut > c.after && (!c.echoed || promptBefore),
      );
      if (cands.length > 0) {
        this.tentative = { cands, i: 1, start: at };
        return;
      }
    }
    this.sawOutput = true;
    this.visibleOut++;
    this.prevOk = b === 0x0a || b === 0x20;
  }

  /** The output stopped following the front expectation: its whole lines may still come later. */
  private breakFront(): void {
    const started = this.fi > this.lineStart;
    let from = this.lineStart;
    if (started) {
      const nl = this.front.indexOf(NEWLINE, this.fi);
      from = nl < 0 ? this.front.length : nl + 1;
    }
    const neverStarted = !started && this.lineStart === 0;
    let line: number[] = [];
    for (let k = from; k < this.front.length; k++) {
      line.push(this.front[k]!);
      if (this.front[k] === NEWLINE) {
        this.remember(line, -1, neverStarted ? UNSTARTED_BUDGET : Infinity, false);
        line = [];
      }
    }
    this.front = [];
    this.fi = 0;
    this.lineStart = 0;
  }

  private remember(units: number[], after: number, budget: number, echoed: boolean): void {
    if (units.length < 2) return; // an empty line: its echo is just a newline, too common to claim
    const key = units.join(",");
    this.waiting = this.waiting.filter((c) => c.units.join(",") !== key || this.tentative?.cands.includes(c));
    this.waiting.push({ units, after, createdAt: Date.now(), untilOut: this.visibleOut + budget, echoed });
    if (this.waiting.length > MAX_CANDIDATES) {
      const drop = this.waiting.findIndex((c) => !this.tentative?.cands.includes(c));
      this.waiting.splice(drop, 1);
    }
    this.rebuildStarts();
  }

  private expireCandidates(): void {
    if (this.waiting.length === 0) return;
    const now = Date.now();
    const before = this.waiting.length;
    this.waiting = this.waiting.filter(
      (c) =>
        this.tentative?.cands.includes(c) ||
        (this.visibleOut < c.untilOut && now - c.createdAt < CANDIDATE_TTL_MS),
    );
    if (this.waiting.length !== before) this.rebuildStarts();
  }

  private rebuildStarts(): void {
    this.starts.fill(0);
    for (const c of this.waiting) this.starts[c.units[0]!] = 1;
  }

  /** A line being matched turned out not to be echo: its bytes are program output. */
  private dropTentative(): void {
    const t = this.tentative;
    if (!t) return;
    this.tentative = null;
    const n = this.pos - t.start;
    this.sawOutput = true;
    this.visibleOut += n;
    this.prevOk = false;
  }

  private pushTail(buf: Uint8Array, from: number, to: number): void {
    for (let k = Math.max(from, to - 3); k < to; k++) this.tail = ((this.tail << 8) | buf[k]!) & 0xffffff;
  }

  /** Whether the last visible bytes end a shell or REPL prompt: one of `$#>%`, or `...`, then a space. */
  private afterPrompt(): boolean {
    if ((this.tail & 0xff) !== 0x20) return false;
    const p1 = (this.tail >> 8) & 0xff;
    if (p1 === 0x24 || p1 === 0x23 || p1 === 0x3e || p1 === 0x25) return true;
    return p1 === 0x2e && ((this.tail >> 16) & 0xff) === 0x2e;
  }

  private mark(start: number, end: number): void {
    const r = this.ranges;
    if (r.length > 0 && r[r.length - 1] === start) r[r.length - 1] = end;
    else r.push(start, end);
  }
}
