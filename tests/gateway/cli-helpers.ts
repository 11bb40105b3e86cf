import { spawnSync } from "node:child_process";
import { runAsync } from "../distribution/helpers.ts";
import { mcpkitCommand } from "../helpers/mcpkit.ts";

/** Runs `mcpkit <args>` to completion (for subcommands and gateways that must refuse to start). */
export function mcpkit(args: string[], env: Record<string, string>, cwd: string, input = "") {
  const cmd = mcpkitCommand();
  const r = spawnSync(cmd.command, [...cmd.args, ...args], {
    env,
    cwd,
    encoding: "utf8",
    input,
    timeout: 45_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same, without blocking the test process (a gateway running in this process can answer meanwhile). */
export function mcpkitAsync(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cmd = mcpkitCommand();
  return runAsync(cmd.command, [...cmd.args, ...args], { env, cwd, timeout: 45_000 });
}

/** A pid that is certainly not running: a child that has already exited. */
export function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  return Number(r.stdout);
}
