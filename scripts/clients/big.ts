// The large agent CLIs (--all): Claude Code, Gemini CLI, Codex and OpenCode, each in a throwaway HOME,
// configured only through `mcpkit setup --write` (so the entries setup writes are what is tested), and
// asked for their servers' status without a model. Codex's app-server also lists tools and makes a call.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serverTargets } from "../server-targets.ts";
import { bin } from "./install.ts";
import type { Row } from "./issue-rows.ts";
import { SERVERS } from "./matrix.ts";
import { leftovers, mcpkitCommand, type NetServer, reap, run, startNetServer } from "./proc.ts";

const TOKEN = "clients-big-token-0123456789";
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");

async function closedPortUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

/** What every client gets: five stdio entries, ptm with a dead backend, and HTTP with and without the token. */
interface Stage {
  home: string;
  /** The client's own environment: the backends' variables exported, as a user would. */
  env: Record<string, string>;
  net: NetServer;
  mark: string;
  cleanup(): Promise<void>;
}

async function stage(): Promise<Stage> {
  const home = mkdtempSync(join(tmpdir(), "mcpkit-big-"));
  const mark = randomUUID();
  const ptm = await serverTargets.ptm!();
  const trueppm = await serverTargets.trueppm!();
  const env: Record<string, string> = { HOME: home, MCPKIT_CLIENTS_MARK: mark };
  for (const k of ["PATH", "LANG", "TERM", "USER", "SHELL"]) if (process.env[k]) env[k] = process.env[k]!;
  for (const k of ["PTM_API_BASE_URL", "PTM_API_TOKEN", "TRUEPPM_API_URL", "TRUEPPM_API_TOKEN"])
    env[k] = ptm.env[k] ?? trueppm.env[k]!;
  // The HTTP server runs through every client's turn; without the marker it is not counted as left over.
  const { MCPKIT_CLIENTS_MARK: _, ...unmarked } = env;
  const net = await startNetServer("pty", "http", { ...unmarked, MCPKIT_AUTH_TOKEN: TOKEN }, home);
  return {
    home,
    env,
    net,
    mark,
    cleanup: async () => {
      await net.stop();
      reap(mark);
      await ptm.cleanup();
      await trueppm.cleanup();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Writes the entries with `mcpkit setup --write` for `client`; returns the entry names. */
async function configure(s: Stage, client: string, extra: Record<string, string>): Promise<void> {
  const env = { ...s.env, ...extra };
  const setup = (args: string[]) => {
    const [command, ...pre] = mcpkitCommand();
    return run(command!, [...pre, "setup", "-c", client, ...args, "--write"], { env, cwd: s.home });
  };
  for (const server of SERVERS) await setup(["-s", server]);
  const down = await closedPortUrl();
  await setup([
    "-s",
    "ptm",
    "--name",
    "ptm-down",
    "--env",
    `PTM_API_BASE_URL=${down}`,
    "--env",
    "PTM_API_TOKEN=ptm_u_x",
  ]);
  await setup([
    "-s",
    "pty",
    "--name",
    "http-token",
    "--mode",
    "http",
    "--url",
    s.net.url,
    "--auth-token",
    TOKEN,
  ]);
  await setup(["-s", "pty", "--name", "http-notoken", "--mode", "http", "--url", s.net.url]);
}

/** Rows from a `<client> mcp list` printout: one per entry, judged by `want`. */
function listRows(
  client: string,
  text: string,
  status: (line: string) => "ok" | "auth" | "failed" | undefined,
  authWant: RegExp,
  left: number[] | undefined,
): Row[] {
  const lines = stripAnsi(text).split("\n");
  const find = (name: string) => lines.find((l) => new RegExp(`(^|\\s)${name}[: ]`).test(l))?.trim() ?? "";
  const rows: Row[] = [];
  for (const server of SERVERS) {
    const line = find(`mcpkit-${server}`);
    rows.push({
      id: client,
      title: `${client}: stdio ${server} from \`setup --write\` (no --env; variables exported) connects`,
      passed: status(line) === "ok",
      detail: line || "entry not listed",
    });
  }
  const down = find("ptm-down");
  rows.push({
    id: client,
    title: `${client}: ptm with an unreachable backend still connects (no start-up timeout)`,
    passed: status(down) === "ok",
    detail: down || "entry not listed",
  });
  const withToken = find("http-token");
  rows.push({
    id: client,
    title: `${client}: Streamable HTTP with the bearer token connects`,
    passed: status(withToken) === "ok",
    detail: withToken || "entry not listed",
  });
  const noToken = find("http-notoken");
  rows.push({
    id: client,
    title: `${client}: Streamable HTTP without the token fails saying authentication/a token is needed`,
    passed: status(noToken) !== "ok" && authWant.test(noToken),
    detail: noToken || "entry not listed",
  });
  rows.push({
    id: client,
    title: `${client}: no server process left after the client exits`,
    passed: left === undefined || left.length === 0,
    detail: left === undefined ? "n/a (no /proc)" : `${left.length} left`,
  });
  return rows;
}

async function claude(dir: string): Promise<Row[]> {
  const s = await stage();
  try {
    const extra = { CLAUDE_CONFIG_DIR: join(s.home, "claude-config") };
    await configure(s, "claude-code", extra);
    const r = await run(bin(dir, "claude"), ["mcp", "list"], {
      env: { ...s.env, ...extra },
      cwd: s.home,
      timeoutMs: 120_000,
    });
    const left = await leftovers(s.mark);
    return listRows(
      "claude",
      r.stdout + r.stderr,
      (l) =>
        /✔ Connected/.test(l) ? "ok" : /Needs authentication/i.test(l) ? "auth" : l ? "failed" : undefined,
      /bearer token/i,
      left,
    );
  } finally {
    await s.cleanup();
  }
}

async function gemini(dir: string): Promise<Row[]> {
  const s = await stage();
  try {
    await configure(s, "gemini", {});
    // A throwaway HOME is an untrusted folder, where Gemini disables every server.
    const env = { ...s.env, GEMINI_CLI_TRUST_WORKSPACE: "true" };
    const r = await run(bin(dir, "gemini"), ["mcp", "list"], { env, cwd: s.home, timeoutMs: 120_000 });
    const left = await leftovers(s.mark);
    // Gemini prints no reason for a failed server, so the no-token row only checks that it failed.
    return listRows(
      "gemini",
      r.stdout + r.stderr,
      (l) => (/- Connected/.test(l) ? "ok" : l ? "failed" : undefined),
      /Disconnected/,
      left,
    );
  } finally {
    await s.cleanup();
  }
}

async function opencode(dir: string): Promise<Row[]> {
  const s = await stage();
  try {
    const extra = { OPENCODE_CONFIG: join(s.home, "opencode.json") };
    await configure(s, "opencode", extra);
    const r = await run(bin(dir, "opencode"), ["mcp", "list"], {
      env: { ...s.env, ...extra },
      cwd: s.home,
      timeoutMs: 120_000,
    });
    // OpenCode prints the status on the entry's line and the command on the next.
    const text = stripAnsi(r.stdout + r.stderr).replace(/\n│[ \t]+(\S[^\n]*)/g, " — $1");
    const left = await leftovers(s.mark);
    return listRows(
      "opencode",
      text,
      (l) =>
        /✓ .* connected/.test(l) ? "ok" : /needs authentication/.test(l) ? "auth" : l ? "failed" : undefined,
      /needs authentication/,
      left,
    );
  } finally {
    await s.cleanup();
  }
}

/** Codex's app-server speaks JSON-RPC lines on stdio: list MCP servers with their tools, call one tool. */
async function codex(dir: string): Promise<Row[]> {
  const s = await stage();
  const extra = { CODEX_HOME: join(s.home, "codex") };
  try {
    await configure(s, "codex", extra);
    const child = spawn(bin(dir, "codex"), ["app-server"], {
      env: { ...s.env, ...extra },
      cwd: s.home,
      stdio: ["pipe", "pipe", "ignore"],
    });
    const answers = new Map<number, (v: any) => void>();
    let buffer = "";
    child.stdout.on("data", (d: Buffer) => {
      buffer += d.toString();
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const m = JSON.parse(line);
          if (typeof m.id === "number") answers.get(m.id)?.(m);
        } catch {}
      }
    });
    let next = 1;
    const ask = (method: string, params: unknown) =>
      new Promise<any>((resolve) => {
        const id = next++;
        const timer = setTimeout(
          () => resolve({ error: { message: `${method}: no answer within 90 s` } }),
          90_000,
        );
        answers.set(id, (m) => {
          clearTimeout(timer);
          resolve(m);
        });
        child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
      });
    await ask("initialize", { clientInfo: { name: "mcpkit-clients", version: "0" } });
    child.stdin.write(`${JSON.stringify({ method: "initialized" })}\n`);
    const status = await ask("mcpServerStatus/list", {});
    const thread = await ask("thread/start", { ephemeral: true });
    const call = await ask("mcpServer/tool/call", {
      threadId: thread.result?.thread?.id,
      server: "mcpkit-pty",
      tool: "pty_list",
      arguments: { owner: "codex" },
    });
    child.stdin.end();
    const exited = new Promise((r) => child.once("exit", r));
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(killer);
    const left = await leftovers(s.mark);
    const data: any[] = status.result?.data ?? [];
    const lines = data.map((srv) => {
      const tools = Object.keys(srv.tools ?? {}).length;
      return `${srv.name}: ${
        srv.toolsError
          ? `failed — ${String(srv.toolsError)
              .replace(/Transport \[[^\]]*\]/g, "Transport […]")
              .slice(0, 400)}`
          : `- Connected, ${tools} tools`
      }`;
    });
    const rows = listRows(
      "codex",
      lines.join("\n"),
      (l) => (/- Connected, [1-9]/.test(l) ? "ok" : l ? "failed" : undefined),
      /Auth required/,
      left,
    );
    rows.push({
      id: "codex",
      title: "codex: app-server calls pty_list through mcpServer/tool/call",
      passed: Boolean(call.result) && !call.result?.isError,
      detail: JSON.stringify(call.result ?? call.error).slice(0, 160),
    });
    return rows;
  } finally {
    await s.cleanup();
  }
}

/** Every large client's rows; a client that cannot run at all gives one failing row saying why. */
export async function bigClientRows(dir: string, say: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [name, fn] of [
    ["claude", claude],
    ["gemini", gemini],
    ["codex", codex],
    ["opencode", opencode],
  ] as const) {
    say(`driving ${name}…`);
    try {
      rows.push(...(await fn(dir)));
    } catch (err) {
      rows.push({ id: name, title: `${name}: runs`, passed: false, detail: String((err as Error).message) });
    }
  }
  return rows;
}
