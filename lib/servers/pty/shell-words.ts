import { basename } from "node:path";

/**
 * A small, conservative reading of a shell command line for the dangerous-command screen: splits it
 * into the simple commands a shell would run, with quotes and escapes resolved, comments dropped and
 * the bodies of `$(...)`, backquotes, `sh -c '...'`, `su -c '...'` and `eval ...` read as command lines
 * of their own. It is not a shell parser (no aliases, functions, heredoc bodies or variable values); it
 * only has to see what the words of a command are.
 */

export interface SimpleCommand {
  /** The words joined by single spaces (separator characters inside words turned into spaces). */
  text: string;
  /** From the program on: wrappers (sudo, env, nohup, setsid, timeout, …) skipped, directories dropped. */
  program: string;
}

const SEPARATORS = new Set([";", "&", "|", "\n", "(", ")"]);
const RESERVED = new Set(["{", "}", "!", "if", "then", "else", "elif", "do", "while", "until", "fi", "done"]);
const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish"]);
/** Wrappers that run the rest of their words as a command, with their options that take a value. */
const WRAPPERS: Record<string, string> = {
  sudo: "ugCDhprtTU",
  doas: "uC",
  exec: "a",
  nohup: "",
  time: "fo",
  env: "uCS",
  command: "",
  builtin: "",
  nice: "n",
  ionice: "cnp",
  setsid: "",
  stdbuf: "ioe",
  chrt: "",
  taskset: "",
  unbuffer: "",
  xargs: "aEdILnPsx",
  timeout: "sk",
  busybox: "",
};
const MAX_DEPTH = 8;

/** Index of the matching close paren for the "(" at `open`, or the line's end. */
function closeParen(line: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === "\\") i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return line.length;
}

/** Where the program of these words starts: after VAR=value assignments and wrappers with their options. */
function programIndex(words: string[]): number {
  let i = 0;
  let wrapper: string | null = null;
  while (i < words.length) {
    const w = words[i]!;
    const base = basename(w);
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
    else if (Object.hasOwn(WRAPPERS, base)) {
      wrapper = base;
      i++;
    } else if (wrapper !== null && w.startsWith("-") && w.length > 1) {
      i += w.length === 2 && WRAPPERS[wrapper]!.includes(w[1]!) ? 2 : 1;
    } else if (wrapper !== null && /^\d+(?:\.\d+)?[smhd]?$/.test(w)) i++;
    else break;
  }
  return i;
}

/** The command-line argument a shell (`-c`), su/runuser (`-c`) or eval would run, if any. */
function nestedCommand(words: string[], p: number): string | undefined {
  const prog = basename(words[p] ?? "");
  if (prog === "eval") return words.slice(p + 1).join(" ");
  if (!SHELLS.has(prog) && prog !== "su" && prog !== "runuser") return undefined;
  for (let k = p + 1; k < words.length; k++) {
    const w = words[k]!;
    if (w === "-c" || w === "--command" || (SHELLS.has(prog) && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w))) {
      for (let j = k + 1; j < words.length; j++) if (!words[j]!.startsWith("-")) return words[j];
      return undefined;
    }
  }
  return undefined;
}

export function simpleCommands(line: string, depth = 0): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  if (depth > MAX_DEPTH) return out;
  let words: string[] = [];
  let word = "";
  let inWord = false;
  const nested = (body: string) => out.push(...simpleCommands(body, depth + 1));
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    while (words.length > 0 && RESERVED.has(words[0]!)) words.shift();
    if (words.length > 0) {
      const clean = words.map((w) => w.replace(/[;&|()`\n{}]/g, " "));
      const p = programIndex(words);
      out.push({
        text: clean.join(" "),
        program: p < clean.length ? [basename(clean[p]!), ...clean.slice(p + 1)].join(" ") : "",
      });
      const body = nestedCommand(words, p);
      if (body !== undefined) nested(body);
    }
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "\0") break; // argv strings end at a NUL
    if (c === "\\") {
      if (line[i + 1] === "\n") i++;
      else if (i + 1 < line.length) {
        word += line[++i];
        inWord = true;
      }
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end < 0 ? line.length : end);
      inWord = true;
      i = end < 0 ? line.length : end;
    } else if (c === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        const d = line[j]!;
        if (d === "\\" && j + 1 < line.length && '"\\$`\n'.includes(line[j + 1]!)) {
          if (line[j + 1] !== "\n") word += line[j + 1];
          j++;
        } else if (d === "$" && line[j + 1] === "(") {
          const close = closeParen(line, j + 1);
          nested(line.slice(j + 2, close));
          word += " ";
          j = close;
        } else if (d === "`") {
          const close = line.indexOf("`", j + 1);
          nested(line.slice(j + 1, close < 0 ? line.length : close));
          j = close < 0 ? line.length : close;
        } else word += d;
      }
      i = j;
    } else if (c === "$" && line[i + 1] === "(") {
      const close = closeParen(line, i + 1);
      nested(line.slice(i + 2, close));
      word += " ";
      inWord = true;
      i = close;
    } else if (c === "$" && /^\$(?:\{IFS\}|IFS\b)/.test(line.slice(i, i + 6))) {
      endWord();
      i += line[i + 1] === "{" ? 5 : 3;
    } else if (c === "`") {
      const close = line.indexOf("`", i + 1);
      nested(line.slice(i + 1, close < 0 ? line.length : close));
      i = close < 0 ? line.length : close;
    } else if (c === "#" && !inWord) {
      const nl = line.indexOf("\n", i);
      i = nl < 0 ? line.length : nl - 1;
    } else if (c === ">" || c === "<") {
      endWord();
      while (line[i + 1] === ">" || line[i + 1] === "<" || line[i + 1] === "&" || line[i + 1] === "|") i++;
      words.push(c);
    } else if (SEPARATORS.has(c)) endCommand();
    else if (/\s/.test(c)) endWord();
    else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return out;
}
