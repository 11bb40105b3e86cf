import type { ServerCommandSpec } from "../core/command-spec.ts";
import { gatewayCommand } from "../servers/gateway/command.ts";
import { ptcCommand } from "../servers/ptc/command.ts";
import { ptmCommand } from "../servers/ptm/command.ts";
import { ptyCommand } from "../servers/pty/command.ts";
import { trueppmCommand } from "../servers/trueppm/command.ts";

/** The one command table: every server subcommand, in `--help` order. Specs are data; code loads lazily. */
export const SERVER_COMMANDS: readonly ServerCommandSpec[] = [
  gatewayCommand,
  ptcCommand,
  ptyCommand,
  ptmCommand,
  trueppmCommand,
];

/** The alias a link name stands for (`/usr/bin/pty-mcp` → `pty-mcp`), or undefined. */
export function aliasOfInvokedName(invoked: string): string | undefined {
  const base = invoked
    .split(/[\\/]/)
    .pop()!
    .replace(/\.(exe|cmd|mjs|js|ts)$/i, "");
  return SERVER_COMMANDS.some((c) => c.aliases.includes(base)) ? base : undefined;
}

/** Which server a link name selects (`pty-mcp` → pty), or undefined. */
export function serverForInvokedName(invoked: string): ServerCommandSpec | undefined {
  const alias = aliasOfInvokedName(invoked);
  return alias ? SERVER_COMMANDS.find((c) => c.aliases.includes(alias)) : undefined;
}
