// Thin wrappers over the SDK client for measurements: spawn over stdio, connect over HTTP, RSS.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Known URL for servers that announce only a port (the peer); otherwise read from the output. */
  url?: string;
}

/**
 * The SDK's stdio transport, as a subclass: the SDK probes `server/discover` in place over a subclass
 * instead of spawning a throwaway sibling process, so a pinned client measures one server process.
 */
class InPlaceStdio extends StdioClientTransport {}

/** Spawns a server over stdio and connects a client: a 2025-era one, or one pinned to `pin`. */
export async function connectStdio(l: Launch, pin?: "2026-07-28"): Promise<{ client: Client; pid: number }> {
  const transport = new InPlaceStdio({
    command: l.command,
    args: l.args,
    env: l.env,
    cwd: l.cwd,
    stderr: "ignore",
  });
  const client = new Client(
    { name: "mcpkit-bench", version: "0" },
    pin ? { versionNegotiation: { mode: { pin } } } : {},
  );
  await client.connect(transport);
  return { client, pid: transport.pid! };
}

export async function connectHttp(url: string): Promise<Client> {
  const client = new Client({ name: "mcpkit-bench", version: "0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** Starts a network server and resolves with the URL it announces on stderr. */
export async function startHttpServer(
  l: Launch,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(l.command, l.args, { env: l.env, cwd: l.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const url = await new Promise<string>((res, rej) => {
    const onData = (d: Buffer) => {
      out += d;
      if (l.url && /listening/i.test(out)) return res(l.url);
      const m = /listening on (https?:\/\/\S+)/.exec(out);
      if (m) res(m[1]!);
    };
    child.stderr!.on("data", onData);
    child.stdout!.on("data", onData);
    child.once("exit", (c) => rej(new Error(`server exited ${c}: ${out.slice(-400)}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await done;
    },
  };
}

/** Resident set size of a process in MiB (Linux /proc), or NaN elsewhere. */
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** RSS of a process plus its descendants (a Node server wrapped by a shell, a PTY's children). */
export function treeRssMiB(pid: number): number {
  let total = rssMiB(pid);
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    for (const c of children) total += treeRssMiB(Number(c));
  } catch {}
  return total;
}
