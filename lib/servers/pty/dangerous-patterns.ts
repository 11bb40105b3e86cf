/**
 * Built-in dangerous-command patterns: data, not code. `{CMD}` expands to "at a command position"
 * (start of the line or after ; & | ( ` { $( , optionally behind sudo/exec/env/nohup/time/eval/sh -c and
 * VAR=value assignments), so a mention such as `echo reboot` is not flagged. PTY_MCP_DANGEROUS_PATTERNS replaces
 * this table with `;`-separated regular expressions (which may use `{CMD}` too).
 */
export interface DangerousPattern {
  id: string;
  pattern: string;
  description: string;
}

export const COMMAND_POSITION =
  "(?:^|[;&|(`{\\n]|\\$\\()\\s*(?:(?:sudo|doas|exec|nohup|time|env|command|nice|xargs|eval|(?:ba|da|z|k)?sh\\s+-c)(?:\\s+-[ugCDhprtT]\\s*[^-\\s]\\S*|\\s+-\\S+)*\\s+)*(?:[A-Za-z_][A-Za-z0-9_]*=\\S*\\s+)*";

export const DEFAULT_DANGEROUS_PATTERNS: readonly DangerousPattern[] = [
  {
    id: "rm-recursive-root",
    pattern:
      "{CMD}rm\\s+(?:[^;&|\\n]*\\s)?(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)\\b[^;&|\\n]*?\\s(?:/\\*?|~/?|\\$HOME/?|\\$\\{HOME\\}/?)(?=$|[\\s;&|)])",
    description: "recursive rm of /, /*, ~ or $HOME",
  },
  {
    id: "rm-no-preserve-root",
    pattern: "{CMD}rm\\s[^;&|\\n]*--no-preserve-root",
    description: "rm with --no-preserve-root",
  },
  {
    id: "dd-to-device",
    pattern: "{CMD}dd\\s[^;&|\\n]*\\bof=/dev/(?!null\\b|zero\\b|stdout\\b|stderr\\b|tty\\b)",
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
  },
  {
    id: "chmod-recursive-root",
    pattern:
      "{CMD}(?:chmod|chown|chgrp)\\s+(?:[^;&|\\n]*\\s)?-[a-zA-Z]*R[a-zA-Z]*\\s+[^;&|\\n]*?\\s/(?:\\*)?(?=$|[\\s;&|)])",
    description: "recursive chmod/chown of /",
  },
  {
    id: "power",
    pattern: "{CMD}(?:shutdown|reboot|poweroff|halt)\\b",
    description: "shutting down or rebooting the machine",
  },
];
