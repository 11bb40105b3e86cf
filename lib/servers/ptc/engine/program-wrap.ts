/**
 * Turns a script into one async function body so it can `await` at top level and `return`, and so the value
 * of its last expression becomes the result (as in a REPL). The last expression is found without a parser:
 * going back line by line, the first split where the head compiles on its own and the tail compiles as one
 * parenthesised expression wins. Line numbers are kept: the wrapper shares the first line, and `return (` is
 * inserted on the tail's first line.
 */
export const WRAP_HEAD = "(async () => {";
const RETURN_OPEN = "return (";
const MAX_LOOKBACK_LINES = 60;
const STATEMENT_START =
  /^\s*(?:return|const|let|var|if|for|while|do|switch|try|throw|function|async\s+function|class|import|export|break|continue|debugger|else|catch|finally|case|default)\b|^\s*[{}]/;

export interface WrappedProgram {
  source: string;
  /** 1-based line of the inserted `return (`, if any (its columns shift by 8). */
  returnLine?: number;
}

export function wrapProgram(code: string, compiles: (source: string) => boolean): WrappedProgram {
  const lines = code.split("\n");
  let last = lines.length - 1;
  while (last >= 0 && !lines[last]!.trim()) last--;
  for (let i = last; i >= Math.max(0, last - MAX_LOOKBACK_LINES); i--) {
    let tail = lines
      .slice(i, last + 1)
      .join("\n")
      .trimEnd();
    if (!tail.trim() || STATEMENT_START.test(tail) || tail.trimStart().startsWith("//")) continue;
    if (tail.endsWith(";")) tail = tail.slice(0, -1);
    // A leading `;` (the ASI guard before `(` or `[`) becomes a space, keeping columns.
    tail = tail.replace(/^(\s*);/, "$1 ");
    if (!compiles(`${WRAP_HEAD}${RETURN_OPEN}${tail}\n)})`)) continue;
    const head = lines.slice(0, i).join("\n");
    const headSource = i > 0 ? `${head}\n` : "";
    if (!compiles(`${WRAP_HEAD}${headSource}\n})`)) continue;
    return { source: `${WRAP_HEAD}${headSource}${RETURN_OPEN}${tail}\n)})`, returnLine: i + 1 };
  }
  return { source: `${WRAP_HEAD}${code}\n})` };
}
