import { spawn } from "node:child_process";
import type { CallToolResult } from "@modelcontextprotocol/server";
import { type FakePtm, type FakePtmOptions, startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { baseEnv, connectStdio, mcpkitCommand, ROOT, type StdioSession } from "../helpers/mcpkit.ts";

/** Environment for `mcpkit ptm` against a fake backend, with a fast preflight backoff. */
export function ptmEnv(backend: FakePtm, extra: Record<string, string> = {}): Record<string, string> {
  return baseEnv({
    PTM_API_BASE_URL: backend.url,
    PTM_API_TOKEN: backend.token,
    PTM_MCP_PREFLIGHT_BACKOFF_MS: "10,20",
    PTM_CF_AUTO_DISCOVER: "false",
    ...extra,
  });
}

export interface PtmRig {
  backend: FakePtm;
  session: StdioSession;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** A fake backend plus `mcpkit ptm` over stdio connected to it. */
export async function startRig(
  opts: { backend?: FakePtmOptions; env?: Record<string, string>; args?: string[] } = {},
): Promise<PtmRig> {
  const backend = await startFakePtm(opts.backend);
  const session = await connectStdio(["ptm", ...(opts.args ?? [])], { env: ptmEnv(backend, opts.env) });
  return {
    backend,
    session,
    call: (name, args = {}) => session.client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    close: async () => {
      await session.close();
      await backend.close();
    },
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}

export interface Exit {
  code: number | null;
  signal: string | null;
  stderr: string;
  stdout: string;
}

/**
 * Runs `mcpkit ptm` as a child without blocking this process (the fake backend lives here), and
 * resolves when it exits. `onStderr` may act on output (e.g. send a signal).
 */
export function runPtm(
  env: Record<string, string>,
  args: string[] = [],
  opts: {
    onStderr?: (text: string, kill: (sig: NodeJS.Signals) => void) => void;
    onStdout?: (text: string, kill: (sig: NodeJS.Signals) => void) => void;
    /** Written to stdin at once; stdin stays open. */
    input?: string;
    timeoutMs?: number;
  } = {},
): Promise<Exit> {
  const cmd = mcpkitCommand();
  const child = spawn(cmd.command, [...cmd.args, "ptm", ...args], {
    env,
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 20_000);
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    opts.onStdout?.(stdout, (sig) => child.kill(sig));
  });
  if (opts.input) child.stdin.write(opts.input);
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    opts.onStderr?.(stderr, (sig) => child.kill(sig));
  });
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, stdout });
    });
  });
}

/** A JSON-RPC initialize request line, to find out when the stdio transport answers. */
export const INITIALIZE_LINE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "0" } },
})}\n`;
