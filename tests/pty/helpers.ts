import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { baseEnv, connectStdio, type StdioSession } from "../helpers/mcpkit.ts";

export interface ToolResult {
  content: { type: string; text: string }[];
  structuredContent?: Record<string, any>;
  isError?: boolean;
}

export function tempDir(prefix = "mcpkit-pty-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts `mcpkit pty` over stdio with a private state dir (tmux socket, recovery state). */
export async function startPty(env: Record<string, string> = {}): Promise<StdioSession> {
  return connectStdio(["pty"], {
    env: baseEnv({ PTY_MCP_STATE_DIR: tempDir("pty-state-"), PTY_MCP_LOGIN_SHELL: "0", ...env }),
  });
}

export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

/** Calls a tool that must succeed and returns its structured content. */
export async function ok(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const r = await call(client, name, args);
  if (r.isError) throw new Error(`${name} failed: ${r.content[0]?.text}`);
  return r.structuredContent ?? {};
}

/** Calls a tool that must fail and returns its message. */
export async function fails(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<string> {
  const r = await call(client, name, args);
  if (!r.isError) throw new Error(`${name} unexpectedly succeeded: ${r.content[0]?.text}`);
  return r.content[0]?.text ?? "";
}

export function text(r: ToolResult): string {
  return r.content[0]?.text ?? "";
}

/** Process ids whose process group is `pgid`, from the real process table. */
export function groupMembers(pgid: number): number[] {
  const out = execFileSync("ps", ["-eo", "pid=,pgid="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([pid, g]) => g === pgid && pid !== undefined)
    .map(([pid]) => pid!);
}
