/**
 * Turns a script into one async function body so it can `await` at top level and `return`, and so the value
 * of its last expression becomes the result (as in a REPL). The last expression is found without a parser:
 * trying split points from the end (each `;` of the last line, then each line start), the first split where
 * the head compiles on its own and the tail compiles as one parenthesised expression wins. Line numbers are
 * kept: the wrapper shares the first line, and `return (` is inserted where the tail starts.
 */
export const WRAP_HEAD = "(async () => {";
export const RETURN_OPEN = "return (";
const MAX_LOOKBACK_LINES = 60;
const STATEMENT_START =
  /^\s*(?:return|const|let|var|if|for|while|do|switch|try|throw|function|async\s+function|class|import|export|break|continue|debugger|else|catch|finally|case|default)\b|^\s*[{}]|^\s*\/\//;

export interface WrappedProgram {
  source: string;
  /** 1-based line and 1-based column in the script where `return (` was inserted, if it was. */
  returnAt?: { line: number; column: number };
}

/** Offsets where the last statement may begin: after each `;` of the last line, then line starts. */
function splitPoints(code: string, lastLineEnd: number): number[] {
  const points: number[] = [];
  const lastLineStart = code.lastIndexOf("\n", lastLineEnd - 1) + 1;
  for (let i = lastLineEnd - 1; i >= lastLineStart; i--) if (code[i] === ";") points.push(i + 1);
  let lineStart = lastLineStart;
  for (let n = 0; n <= MAX_LOOKBACK_LINES; n++) {
    points.push(lineStart);
    if (lineStart === 0) break;
    lineStart = code.lastIndexOf("\n", lineStart - 2) + 1;
  }
  return points;
}

export function wrapProgram(code: string, compiles: (source: string) => boolean): WrappedProgram {
  const end = code.trimEnd().length;
  for (const at of splitPoints(code, end)) {
    let tail = code.slice(at, end);
    if (!tail.trim() || STATEMENT_START.test(tail)) continue;
    if (tail.endsWith(";")) tail = tail.slice(0, -1);
    // A leading `;` (the ASI guard before `(` or `[`) becomes a space, keeping columns.
    tail = tail.replace(/^(\s*);/, "$1 ");
    if (!tail.trim() || !compiles(`${WRAP_HEAD}${RETURN_OPEN}${tail}\n)})`)) continue;
    const head = code.slice(0, at);
    if (!compiles(`${WRAP_HEAD}${head}\n})`)) continue;
    const before = code.slice(0, at).split("\n");
    return {
      source: `${WRAP_HEAD}${head}${RETURN_OPEN}${tail}\n)})`,
      returnAt: { line: before.length, column: before.at(-1)!.length + 1 },
    };
  }
  return { source: `${WRAP_HEAD}${code}\n})` };
}
