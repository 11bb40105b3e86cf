import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { ServerCommandSpec } from "../core/command-spec.ts";
import { UsageError } from "../core/errors.ts";
import { selfExecutable } from "./setup/self-command.ts";

export interface LinkOptions {
  dir?: string;
  force: boolean;
  commands: readonly ServerCommandSpec[];
  /** For tests: pretend to be on another platform. */
  platform?: NodeJS.Platform;
}

function pointsAt(link: string, target: string): boolean {
  try {
    return lstatSync(link).isSymbolicLink() && resolve(dirname(link), readlinkSync(link)) === target;
  } catch {
    return false;
  }
}

/**
 * A Windows shim: runs the binary (or node with the bundle) with the alias as the subcommand, so the alias's
 * defaults apply as they do through a link (`pmcp.cmd` → `mcpkit pmcp`, PMCP's defaults).
 */
function cmdShim(target: string, kind: "binary" | "script", alias: string): string {
  const run = kind === "binary" ? `"${target}"` : `node "${target}"`;
  return `@echo off\r\n${run} ${alias} %*\r\n`;
}

/**
 * Creates `pmcp`, `pty-mcp`, … next to (or in `dir`) pointing at this executable; the name a link is
 * started through selects its server (see serverForInvokedName).
 */
export function linkAliases(opts: LinkOptions): void {
  const self = selfExecutable();
  if (!self.path || /\.ts$/.test(self.path)) {
    throw new UsageError(
      "link-aliases needs the npm bundle or the compiled binary; run it from dist/mcpkit.mjs or the binary",
    );
  }
  const platform = opts.platform ?? process.platform;
  const dir = resolve(opts.dir ?? self.invokedFrom);
  mkdirSync(dir, { recursive: true });
  const made: string[] = [];
  const kept: string[] = [];
  for (const spec of opts.commands) {
    for (const alias of spec.aliases) {
      const link = join(dir, platform === "win32" ? `${alias}.cmd` : alias);
      if (platform !== "win32" && pointsAt(link, self.path)) {
        kept.push(alias);
        continue;
      }
      if (existsSync(link) || isDanglingLink(link)) {
        if (!opts.force) throw new UsageError(`${link} already exists; pass --force to replace it`);
        rmSync(link, { force: true });
      }
      if (platform === "win32") writeFileSync(link, cmdShim(self.path, self.kind, alias));
      else symlinkSync(self.path, link);
      made.push(alias);
    }
  }
  const parts = [
    made.length ? `linked ${made.join(", ")}` : "",
    kept.length ? `already linked ${kept.join(", ")}` : "",
  ];
  process.stdout.write(`mcpkit: ${parts.filter(Boolean).join("; ")} in ${dir} → ${self.path}\n`);
  const onPath = (process.env.PATH ?? "")
    .split(platform === "win32" ? ";" : ":")
    .some((p) => p && resolve(p) === dir);
  if (!onPath) process.stdout.write(`mcpkit: ${dir} is not on PATH; add it to run the aliases by name\n`);
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
