import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, type ElicitResult, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { baseEnv, connectStdio, mcpkitCommand, ROOT, type StdioSession } from "../helpers/mcpkit.ts";

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

/** Which protocol era a test client speaks: 2025-era `initialize`, or pinned to 2026-07-28. */
export type Era = "2025" | "2026";

export interface EraClientOptions {
  era: Era;
  /** Declares form elicitation and answers every question with this (the "person" at the client). */
  answer?: (message: string) => ElicitResult;
  /** Turns off the SDK's automatic input_required rounds, to drive them by hand. */
  manual?: boolean;
}

export interface EraClient {
  client: Client;
  /** The messages of every question the server asked, in order. */
  asked: string[];
}

/** A v2 SDK client of the given era, optionally able to show the user an elicitation form. */
export function eraClient(opts: EraClientOptions): EraClient {
  const asked: string[] = [];
  const client = new Client(
    { name: "mcpkit-test", version: "0.0.0" },
    {
      ...(opts.answer ? { capabilities: { elicitation: { form: {} } } } : {}),
      ...(opts.era === "2026" ? { versionNegotiation: { mode: { pin: "2026-07-28" as const } } } : {}),
      ...(opts.manual ? { inputRequired: { autoFulfill: false } } : {}),
    },
  );
  const answer = opts.answer;
  if (answer) {
    client.setRequestHandler("elicitation/create", async (request) => {
      const message = request.params.message;
      asked.push(message);
      return answer(message);
    });
  }
  return { client, asked };
}

/** Starts `mcpkit pty` over stdio and connects an era client to it. */
export async function startPtyEra(
  opts: EraClientOptions,
  env: Record<string, string> = {},
): Promise<EraClient & { close(): Promise<void> }> {
  const c = eraClient(opts);
  const cmd = mcpkitCommand();
  const transport = new StdioClientTransport({
    command: cmd.command,
    args: [...cmd.args, "pty"],
    env: baseEnv({ PTY_MCP_STATE_DIR: tempDir("pty-state-"), PTY_MCP_LOGIN_SHELL: "0", ...env }),
    cwd: ROOT,
    stderr: "pipe",
  });
  await c.client.connect(transport);
  return { ...c, close: () => c.client.close() };
}

/** Connects an era client to a running `mcpkit pty --transport http`. */
export async function connectPtyEra(url: string, opts: EraClientOptions): Promise<EraClient> {
  const c = eraClient(opts);
  await c.client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return c;
}
