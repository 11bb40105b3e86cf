import { RETURN_OPEN, WRAP_HEAD } from "./program-wrap.ts";

export const PROGRAM_FILE = "program.js";
const MAX_FRAMES = 12;
const MAX_REPEATS = 3;

/** An error as `context.dump` returns it from QuickJS. */
export interface DumpedError {
  name?: string;
  message?: string;
  stack?: string;
}

export interface FrameShift {
  returnAt?: { line: number; column: number };
}

/** Maps a `program.js:L:C` position in the wrapped source back to the script's own column. */
function fixColumn(line: number, col: number, shift: FrameShift): number {
  let c = col;
  if (line === 1) c -= WRAP_HEAD.length;
  const r = shift.returnAt;
  if (r && r.line === line && c > r.column) c -= RETURN_OPEN.length;
  return Math.max(1, c);
}

/**
 * Keeps the frames that point into the program (engine-internal frames say nothing useful), fixes their
 * columns, and folds runaway recursion so a stack overflow does not fill the output with one frame.
 */
export function cleanStack(stack: string, shift: FrameShift = {}): string[] {
  const frames: string[] = [];
  for (const raw of stack.split("\n")) {
    const line = raw.trimEnd();
    if (!line.includes(`${PROGRAM_FILE}:`)) continue;
    frames.push(
      line.replace(
        new RegExp(`${PROGRAM_FILE.replace(".", "\\.")}:(\\d+):(\\d+)`),
        (_, l: string, c: string) => {
          return `${PROGRAM_FILE}:${l}:${fixColumn(Number(l), Number(c), shift)}`;
        },
      ),
    );
  }
  const out: string[] = [];
  let i = 0;
  while (i < frames.length && out.length < MAX_FRAMES) {
    let j = i;
    while (j < frames.length && frames[j] === frames[i]) j++;
    const run = j - i;
    out.push(...frames.slice(i, i + Math.min(run, MAX_REPEATS)));
    if (run > MAX_REPEATS) out.push(`    ... ${run - MAX_REPEATS} more identical frames`);
    i = j;
  }
  if (i < frames.length) out.push(`    ... ${frames.length - i} more frames`);
  return out;
}

/** The source line an error points at, for syntax errors. */
export function sourceExcerpt(code: string, line: number | undefined): string | undefined {
  if (!line) return undefined;
  const text = code.split("\n")[line - 1];
  return text === undefined ? undefined : `  ${line} | ${text.trimEnd()}`;
}

/** `Name: message` plus the program's frames; a thrown non-Error value is shown as JSON. */
export function formatThrown(dumped: unknown, shift: FrameShift = {}): { name: string; text: string } {
  if (dumped && typeof dumped === "object" && ("message" in dumped || "name" in dumped)) {
    const e = dumped as DumpedError;
    const name = e.name ?? "Error";
    const head = `${name}: ${e.message ?? ""}`;
    const frames = e.stack ? cleanStack(e.stack, shift) : [];
    return { name, text: [head, ...frames].join("\n") };
  }
  let shown: string;
  try {
    shown = JSON.stringify(dumped) ?? String(dumped);
  } catch {
    shown = String(dumped);
  }
  return { name: "Error", text: `Error: uncaught value ${shown}` };
}
