/**
 * Built-in dangerous-command patterns: data, not code. Each is matched against every simple command of
 * a command line as the shell would run it (see shell-words.ts: quotes removed, comments dropped,
 * `sh -c`/`eval`/`$(...)`/backquote bodies analysed too, wrappers such as sudo/setsid/nohup/env/timeout/xargs
 * skipped), so a mention in quoted text or after `echo` is not a command. `{CMD}` expands to "at a
 * command position" (start, or after ; & | ( ` { $( , optionally behind wrappers and VAR=value
 * assignments). `raw` patterns are matched against the whole line as typed instead.
 * PTY_MCP_DANGEROUS_PATTERNS replaces this table with `;`-separated regular expressions, matched like
 * pty-mcp did (anywhere in the line as typed) and against each simple command; they may use `{CMD}`.
 *
 * Every command pty-mcp 0.2's built-ins flagged as an actual command is flagged here too
 * (`rm -rf /<anything>`, mkfs, `dd if=/dev/zero`, shutdown/reboot/poweroff); only mentions
 * (`echo reboot`, comments, quoted text) are no longer flagged. tests/pty/dangerous.test.ts holds the table.
 */
export interface DangerousPattern {
  id: string;
  pattern: string;
  description: string;
  /** Match the line as typed (for shapes the word splitter would take apart, like a fork bomb). */
  raw?: boolean;
}

const WRAPPER_WORDS =
  "sudo|doas|exec|nohup|time|env|command|builtin|nice|ionice|setsid|stdbuf|chrt|taskset|unbuffer|xargs|eval|timeout|busybox|(?:ba|da|z|k)?sh\\s+-c";

/** One wrapper argument: an option with an optional non-numeric value, a number/duration, or VAR=value. */
const WRAPPER_ARG =
  "(?:-\\S+(?:\\s+[^-\\s\\d=][^\\s=]*)?|\\d+(?:\\.\\d+)?[smhd]?|[A-Za-z_][A-Za-z0-9_]*=\\S*)";

export const COMMAND_POSITION = `(?:^|[;&|(\`{\\n]|\\$\\()\\s*(?:(?:${WRAPPER_WORDS})(?:\\s+${WRAPPER_ARG})*\\s+)*(?:[A-Za-z_][A-Za-z0-9_]*=\\S*\\s+)*`;

/** An absolute path, ~ or $HOME as a whole argument start. */
const ROOTED = "(?:/|~|\\$\\{?HOME\\b)";

export const DEFAULT_DANGEROUS_PATTERNS: readonly DangerousPattern[] = [
  {
    id: "rm-recursive-rooted",
    pattern: `{CMD}rm(?=(?:\\s+\\S+)*?\\s+(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)(?:\\s|$))(?=(?:\\s+\\S+)*?\\s+${ROOTED})`,
    description: "recursive rm of an absolute path, ~ or $HOME (pty-mcp: rm -rf /…)",
  },
  {
    id: "rm-no-preserve-root",
    pattern: "{CMD}rm\\s(?:.*\\s)?--no-preserve-root",
    description: "rm with --no-preserve-root",
  },
  {
    id: "dd-from-zero",
    pattern: "{CMD}dd\\s(?:.*\\s)?if=/dev/(?:zero|u?random)\\b",
    description: "dd reading /dev/zero or /dev/random (pty-mcp: dd if=/dev/zero)",
  },
  {
    id: "dd-to-device",
    pattern: "{CMD}dd\\s(?:.*\\s)?of=/dev/(?!null\\b|zero\\b|stdout\\b|stderr\\b|tty\\b)",
    description: "dd writing to a device",
  },
  {
    id: "redirect-to-disk",
    pattern: ">\\s*/dev/(?:sd[a-z]|nvme\\d|hd[a-z]|vd[a-z]|xvd[a-z]|mmcblk\\d|disk\\d)",
    description: "redirecting output onto a disk device",
  },
  { id: "mkfs", pattern: "{CMD}mkfs(?:\\.[a-z0-9]+)?\\b", description: "creating a filesystem" },
  {
    id: "fork-bomb",
    pattern: "([A-Za-z_:][A-Za-z0-9_:]*)\\s*\\(\\)\\s*\\{\\s*\\1\\s*\\|\\s*\\1\\s*&\\s*\\}",
    description: "fork bomb",
    raw: true,
  },
  {
    id: "chmod-recursive-root",
    pattern: "{CMD}(?:chmod|chown|chgrp)\\s+(?:.*\\s)?-[a-zA-Z]*R[a-zA-Z]*\\s+(?:.*\\s)?/(?:\\*)?(?=$|\\s)",
    description: "recursive chmod/chown of /",
  },
  {
    id: "power",
    pattern: "{CMD}(?:shutdown|reboot|poweroff|halt)\\b",
    description: "shutting down or rebooting the machine",
  },
  {
    id: "runlevel",
    pattern: "{CMD}(?:init|telinit)\\s+[06]\\b",
    description: "init/telinit 0 or 6 (halt or reboot)",
  },
  {
    id: "systemctl-power",
    pattern: "{CMD}systemctl\\s+(?:.*\\s)?(?:poweroff|reboot|halt|kexec|rescue|emergency)\\b",
    description: "systemctl poweroff/reboot/halt",
  },
  {
    id: "kill-all",
    pattern: "{CMD}kill(?:\\s+(?:-s\\s+\\S+|-[A-Za-z0-9]+|--))+\\s+-1(?=\\s|$)",
    description: "kill -<sig> -1 (every process the user may signal)",
  },
  {
    id: "find-delete-rooted",
    pattern: `{CMD}find\\s+(?:-[HLP]\\s+)*${ROOTED}.*\\s-(?:delete\\b|exec(?:dir)?\\s+rm\\b)`,
    description: "find under an absolute path, ~ or $HOME with -delete or -exec rm",
  },
];
