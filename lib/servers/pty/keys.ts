/** Named keys for pty_write's `keys`: what each sends to the terminal (xterm conventions). */
const NAMED: Record<string, string> = {
  enter: "\r",
  return: "\r",
  tab: "\t",
  "shift+tab": "\x1b[Z",
  backtab: "\x1b[Z",
  backspace: "\x7f",
  escape: "\x1b",
  esc: "\x1b",
  space: " ",
  up: "\x1b[A",
  down: "\x1b[B",
  right: "\x1b[C",
  left: "\x1b[D",
  home: "\x1b[H",
  end: "\x1b[F",
  pageup: "\x1b[5~",
  pagedown: "\x1b[6~",
  insert: "\x1b[2~",
  delete: "\x1b[3~",
  f1: "\x1bOP",
  f2: "\x1bOQ",
  f3: "\x1bOR",
  f4: "\x1bOS",
  f5: "\x1b[15~",
  f6: "\x1b[17~",
  f7: "\x1b[18~",
  f8: "\x1b[19~",
  f9: "\x1b[20~",
  f10: "\x1b[21~",
  f11: "\x1b[23~",
  f12: "\x1b[24~",
};

const ALIASES: Record<string, string> = {
  arrowup: "up",
  arrowdown: "down",
  arrowleft: "left",
  arrowright: "right",
  pgup: "pageup",
  pgdn: "pagedown",
  pagedn: "pagedown",
  del: "delete",
  ins: "insert",
  cr: "enter",
  bs: "backspace",
};

/** Canonical lower-case form: "Ctrl-C", "C-c", "^C" → "ctrl+c"; "Page Up" → "pageup". */
function normalise(name: string): string {
  let n = name.trim().toLowerCase();
  if (/^\^.$/.test(n)) n = `ctrl+${n[1]}`;
  n = n.replace(/^(c|ctrl|control)[-+_ ]/, "ctrl+").replace(/^(m|alt|meta|opt|option)[-+_ ]/, "alt+");
  n = n.replace(/^shift[-_ ]/, "shift+");
  if (!n.includes("+")) n = n.replace(/[-_ ]/g, "");
  return ALIASES[n] ?? n;
}

function ctrl(ch: string): string | undefined {
  if (/^[a-z]$/.test(ch)) return String.fromCharCode(ch.charCodeAt(0) - 96);
  const special: Record<string, string> = {
    "@": "\0",
    "[": "\x1b",
    "\\": "\x1c",
    "]": "\x1d",
    "^": "\x1e",
    _: "\x1f",
    "?": "\x7f",
    space: "\0",
  };
  return special[ch];
}

/** The bytes for one key name, or undefined when the name is not known. */
export function keySequence(name: string): string | undefined {
  const n = normalise(name);
  if (NAMED[n] !== undefined) return NAMED[n];
  if (n.startsWith("ctrl+")) return ctrl(n.slice(5));
  if (n.startsWith("alt+")) {
    const rest = n.slice(4);
    const inner = rest.length === 1 ? name.trim().slice(-1) : keySequence(rest);
    return inner === undefined ? undefined : `\x1b${inner}`;
  }
  return undefined;
}

export const KEY_NAMES_HELP =
  "Enter, Tab, Shift+Tab, Backspace, Escape, Space, Up, Down, Left, Right, Home, End, PageUp, PageDown, Insert, Delete, F1-F12, Ctrl+<letter>, Alt+<key>";

/** Translates a list of key names; throws with the unknown name and the accepted ones. */
export function encodeKeys(keys: string[]): string {
  let out = "";
  for (const k of keys) {
    const seq = keySequence(k);
    if (seq === undefined)
      throw new Error(`unknown key name: ${JSON.stringify(k)}; known keys: ${KEY_NAMES_HELP}`);
    out += seq;
  }
  return out;
}
