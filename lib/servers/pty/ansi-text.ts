/**
 * Turns raw terminal output into plain text: escape sequences removed, carriage returns and backspaces
 * applied per line (so progress bars collapse to their last state), CRLF folded to LF.
 */

// CSI, OSC (BEL or ST terminated), DCS/SOS/PM/APC strings, two-byte escapes, and stray C1 CSI.
const ESCAPES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][\s\S]*?(?:\x07|\x1b\\)|\x1b[PX^_][\s\S]*?\x1b\\|\x1b[ -/]*[0-~]|\x9b[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ESCAPES, "");
}

export function toPlainText(raw: string): string {
  const text = stripAnsi(raw);
  const out: string[] = [];
  let line: string[] = [];
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\n") {
      out.push(line.join(""));
      line = [];
      col = 0;
    } else if (ch === "\r") {
      if (text[i + 1] === "\n") continue;
      col = 0;
    } else if (ch === "\b") {
      col = Math.max(0, col - 1);
    } else if (ch === "\t" || ch >= " " || ch > "\x7f") {
      if (ch === "\x7f") continue;
      line[col++] = ch;
    }
  }
  out.push(line.join(""));
  return out.join("\n");
}
