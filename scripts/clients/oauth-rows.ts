// Issue #21 rows: real third-party clients against mcpkit as an OAuth resource server, with a real
// OpenID provider (oidc-provider, the tests' one) on 127.0.0.1. mcp-remote goes all the way: discovery,
// dynamic registration, sign-in (the provider's pages, driven headlessly), token, tools/list.
// Claude Code (only with --all) has no headless sign-in; its row checks that it reaches discovery.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  authorizeHeadless,
  makeKey,
  type RunningProvider,
  startProvider,
} from "../../tests/oauth/provider.ts";
import { bin } from "./install.ts";
import type { Row } from "./issue-rows.ts";
import { killGroup, run, startNetServer } from "./proc.ts";

function scratchEnv(): { dir: string; env: Record<string, string>; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), "mcpkit-oauth-clients-"));
  const env: Record<string, string> = { HOME: dir, BROWSER: "true" };
  for (const k of ["PATH", "LANG", "TERM", "USER", "SHELL"]) if (process.env[k]) env[k] = process.env[k]!;
  return { dir, env, done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function until<T>(check: () => T | undefined, ms: number): Promise<T | undefined> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

/** mcp-remote: 401 → discovery names the provider → registration → sign-in → token → tools/list. */
async function mcpRemoteRow(dir: string, idp: RunningProvider): Promise<Row> {
  const s = scratchEnv();
  const net = await startNetServer("pty", "http", s.env, s.dir, ["--oauth-issuer", idp.issuer]);
  const child = spawn("node", [bin(dir, "mcp-remote"), net.url, "--transport", "http-only"], {
    env: s.env,
    cwd: s.dir,
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  child.stdin.on("error", () => {});
  const steps: string[] = [];
  try {
    const named = await until(
      () => (err.includes(`authorization server: ${idp.issuer}`) ? true : undefined),
      30_000,
    );
    steps.push(named ? "named the authorization server" : "did not name the authorization server");
    const authUrl = await until(() => /visiting:\s*(\S+)/.exec(err)?.[1], 30_000);
    if (!authUrl) throw new Error("no authorization URL printed");
    const callback = await authorizeHeadless(new URL(authUrl));
    const answered = await fetch(callback);
    await answered.body?.cancel();
    steps.push(`signed in (callback ${answered.status})`);
    await until(() => (/Proxy established/.test(err) ? true : undefined), 30_000);
    const send = (m: unknown) => child.stdin.write(`${JSON.stringify(m)}\n`);
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "oauth-row", version: "1" },
      },
    });
    await until(() => (out.includes('"id":1') ? true : undefined), 30_000);
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const listed = await until(() => out.split("\n").find((l) => l.includes('"id":2')), 30_000);
    const tools = listed
      ? ((JSON.parse(listed) as { result?: { tools?: unknown[] } }).result?.tools?.length ?? 0)
      : 0;
    steps.push(`${tools} tools listed`);
    return {
      id: "21a",
      title:
        "mcp-remote: discovery names the authorization server; after sign-in it lists tools with the token",
      passed: Boolean(named) && tools > 0 && idp.requests.includes("POST /reg"),
      detail: steps.join("; "),
    };
  } catch (e) {
    return {
      id: "21a",
      title:
        "mcp-remote: discovery names the authorization server; after sign-in it lists tools with the token",
      passed: false,
      detail: `${steps.join("; ")}; ${(e as Error).message}; ${err.slice(-300)}`,
    };
  } finally {
    killGroup(child.pid);
    await net.stop();
    s.done();
  }
}

/** Claude Code (`--all`): `claude mcp list` must reach the provider's metadata and report that sign-in is needed. */
async function claudeRow(dir: string, idp: RunningProvider): Promise<Row> {
  const s = scratchEnv();
  const net = await startNetServer("pty", "http", s.env, s.dir, ["--oauth-issuer", idp.issuer]);
  try {
    const before = idp.requests.length;
    await run(bin(dir, "claude"), ["mcp", "add", "--transport", "http", "mcpkit-oauth", net.url], {
      env: s.env,
      cwd: s.dir,
      timeoutMs: 60_000,
    });
    const list = await run(bin(dir, "claude"), ["mcp", "list"], {
      env: s.env,
      cwd: s.dir,
      timeoutMs: 60_000,
    });
    const line = `${list.stdout}${list.stderr}`.split("\n").find((l) => l.includes("mcpkit-oauth")) ?? "";
    const reached = idp.requests.slice(before).filter((r) => r.includes("/.well-known/"));
    return {
      id: "21b",
      title: "Claude Code: `claude mcp list` follows discovery to the provider and says sign-in is needed",
      passed: /needs authentication/i.test(line) && reached.length > 0,
      detail: `${line.trim()} | provider saw: ${reached.join(", ")}`,
    };
  } finally {
    await net.stop();
    s.done();
  }
}

/** One client's OAuth row, with its own provider. */
export async function oauthRow(dir: string, client: "mcp-remote" | "claude"): Promise<Row> {
  const idp = await startProvider({ keys: [await makeKey("clients")] });
  try {
    return client === "claude" ? await claudeRow(dir, idp) : await mcpRemoteRow(dir, idp);
  } finally {
    await idp.close();
  }
}
