// The client × server × transport matrix: each base client connects to each server over stdio, Streamable
// HTTP and legacy SSE, lists tools and makes one call, and we note how long it took and what it left running.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { serverTargets } from "../server-targets.ts";
import { bin } from "./install.ts";
import { leftovers, mcpkitCommand, type NetServer, reap, run, startNetServer } from "./proc.ts";

export const SERVERS = ["gateway", "ptc", "pty", "ptm", "trueppm"] as const;
export const TRANSPORTS = ["stdio", "http", "sse"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** A cheap call per server that succeeds against the fake backends and a fresh HOME. */
export const CALLS: Record<string, { name: string; arguments: Record<string, unknown> }> = {
  gateway: { name: "gateway_health", arguments: {} },
  ptc: { name: "list_callable_tools", arguments: {} },
  pty: { name: "pty_list", arguments: { owner: "mcpkit-clients" } },
  ptm: { name: "list_providers", arguments: {} },
  trueppm: { name: "whoami", arguments: {} },
};

export interface Cell {
  client: string;
  server: string;
  transport: Transport;
  connected: boolean;
  tools?: number;
  /** "ok", "isError", or undefined when no call was made. */
  call?: string;
  connectMs?: number;
  /** Processes left running after the client ended and the server was stopped; undefined without /proc. */
  leftovers?: number;
  note?: string;
  /** Not applicable (the client cannot do this); never a failure. */
  na?: boolean;
}

export function cellPassed(c: Cell): boolean {
  return c.na === true || (c.connected && (c.tools ?? 0) > 0 && c.call === "ok" && !c.leftovers);
}

/** The first JSON object in a client's stdout, or undefined. */
export function firstJson(text: string): any {
  const start = text.indexOf("{");
  if (start < 0) return undefined;
  for (let end = text.indexOf("\n}", start); end >= 0; end = text.indexOf("\n}", end + 1)) {
    try {
      return JSON.parse(text.slice(start, end + 2));
    } catch {}
  }
  try {
    return JSON.parse(text.slice(start));
  } catch {
    return undefined;
  }
}

interface Prepared {
  env: Record<string, string>;
  cwd: string;
  cleanup(): Promise<void>;
}

/** The target's environment plus the marker that finds leftovers. */
async function prepare(server: string, mark: string): Promise<Prepared> {
  const t = await serverTargets[server]!();
  return { env: { ...t.env, MCPKIT_CLIENTS_MARK: mark }, cwd: t.cwd, cleanup: t.cleanup };
}

type Driver = (
  ctx: { dir: string; server: string; transport: Transport; env: Record<string, string>; cwd: string },
  net: NetServer | undefined,
) => Promise<Omit<Cell, "client" | "server" | "transport" | "leftovers">>;

function envArgs(env: Record<string, string>): string[] {
  return Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]);
}

/** MCP Inspector CLI: one run for tools/list, one for tools/call. */
const inspector: Driver = async ({ dir, server, transport, env, cwd }, net) => {
  const target =
    transport === "stdio"
      ? [...envArgs(env), "--", ...mcpkitCommand(), server]
      : [net!.url, "--transport", transport];
  const insp = bin(dir, "inspector");
  // A URL goes first: after the variadic --tool-arg it would be read as one more key=value pair.
  const order = (opts: string[]) => (transport === "stdio" ? [...opts, ...target] : [...target, ...opts]);
  const list = await run(insp, ["--cli", ...order(["--method", "tools/list"])], {
    env,
    cwd,
    timeoutMs: 60_000,
  });
  const listed = firstJson(list.stdout);
  if (!Array.isArray(listed?.tools))
    return {
      connected: false,
      note: (list.stdout + list.stderr).trim().split("\n").slice(-1)[0]?.slice(0, 160),
    };
  const c = CALLS[server]!;
  const args = Object.entries(c.arguments).flatMap(([k, v]) => ["--tool-arg", `${k}=${v}`]);
  const called = await run(
    insp,
    ["--cli", ...order(["--method", "tools/call", "--tool-name", c.name, ...args])],
    { env, cwd, timeoutMs: 60_000 },
  );
  const result = firstJson(called.stdout);
  const ok = result && !result.isError && !result.error;
  return {
    connected: true,
    tools: listed.tools.length,
    call: ok ? "ok" : "isError",
    connectMs: list.ms,
    note: ok ? "ms: a whole CLI run (spawn, connect, tools/list)" : JSON.stringify(result).slice(0, 160),
  };
};

/** mcp-remote bridges HTTP/SSE to stdio; the Inspector CLI drives the bridge. */
const mcpRemote: Driver = async ({ dir, server, transport, env, cwd }, net) => {
  if (transport === "stdio") return { connected: false, na: true, note: "bridges remote servers only" };
  const bridge = ["--", "node", bin(dir, "mcp-remote"), net!.url, "--transport", `${transport}-only`];
  const insp = bin(dir, "inspector");
  const list = await run(insp, ["--cli", "--method", "tools/list", ...envArgs(env), ...bridge], {
    env,
    cwd,
    timeoutMs: 60_000,
  });
  const listed = firstJson(list.stdout);
  if (!Array.isArray(listed?.tools))
    return {
      connected: false,
      note: (list.stdout + list.stderr).trim().split("\n").slice(-1)[0]?.slice(0, 160),
    };
  const c = CALLS[server]!;
  const args = Object.entries(c.arguments).flatMap(([k, v]) => ["--tool-arg", `${k}=${v}`]);
  const called = await run(
    insp,
    ["--cli", "--method", "tools/call", "--tool-name", c.name, ...args, ...envArgs(env), ...bridge],
    { env, cwd, timeoutMs: 60_000 },
  );
  const result = firstJson(called.stdout);
  return {
    connected: true,
    tools: listed.tools.length,
    call: result && !result.isError && !result.error ? "ok" : "isError",
    connectMs: list.ms,
    note: "ms: Inspector + bridge run",
  };
};

/** The v2 SDK client, negotiating the protocol version ("auto"), in its own Node process. */
export async function sdkV2(
  dir: string,
  job: Record<string, unknown>,
  env: Record<string, string>,
  cwd: string,
): Promise<any> {
  const driver = join(import.meta.dirname ?? ".", "sdk-v2-driver.mjs");
  const r = await run("node", [driver, JSON.stringify(job)], {
    env: { ...env, MCPKIT_CLIENTS_DIR: dir },
    cwd,
    timeoutMs: 60_000,
  });
  return firstJson(r.stdout) ?? { connected: false, error: (r.stderr || r.stdout).slice(0, 300) };
}

const v2: Driver = async ({ dir, server, transport, env, cwd }, net) => {
  const [command, ...args] = mcpkitCommand();
  const job =
    transport === "stdio"
      ? { transport, command, args: [...args, server], env, call: CALLS[server] }
      : { transport, url: net!.url, call: CALLS[server] };
  const out = await sdkV2(dir, job, env, cwd);
  return {
    connected: out.connected,
    tools: out.tools,
    call: out.call ? (out.call.isError ? "isError" : "ok") : undefined,
    connectMs: out.connectMs,
    note: out.error ?? (out.protocol ? `protocol ${out.protocol}` : undefined),
  };
};

export const BASE_DRIVERS: Record<string, Driver> = {
  inspector,
  "mcp-remote": mcpRemote,
  "sdk-v2": v2,
};

/** Runs one cell: prepare the server's environment, start it for network transports, drive, check leftovers. */
export async function runCell(
  dir: string,
  client: string,
  server: string,
  transport: Transport,
): Promise<Cell> {
  const mark = randomUUID();
  const prepared = await prepare(server, mark);
  let net: NetServer | undefined;
  try {
    if (transport !== "stdio") net = await startNetServer(server, transport, prepared.env, prepared.cwd);
    const got = await BASE_DRIVERS[client]!({ dir, server, transport, ...prepared }, net);
    if (net) await net.stop();
    net = undefined;
    const left = got.na ? [] : await leftovers(mark);
    return { client, server, transport, ...got, leftovers: left?.length };
  } catch (err) {
    return {
      client,
      server,
      transport,
      connected: false,
      note: String((err as Error).message).slice(0, 200),
    };
  } finally {
    await net?.stop();
    reap(mark);
    await prepared.cleanup();
  }
}
