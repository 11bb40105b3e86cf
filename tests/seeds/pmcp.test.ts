import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join, resolve } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, expect } from "vitest";
import { connectHttp, ROOT, waitFor } from "../helpers/mcpkit.ts";
import { PMCP_EXAMPLES } from "./examples/pmcp.ts";
import { lookup } from "./examples/types.ts";
import {
  bash,
  cleanupSeedTemps,
  connectCommand,
  connectOriginal,
  type Listening,
  original,
  runToEnd,
  type SeedSession,
  seedEnv,
  startListening,
  tempDir,
  textOf,
} from "./helpers.ts";
import { seedTest } from "./seed-test.ts";

// shared/seeds/pmcp.txt, run against mcpkit started as `pmcp`. Every test gets a fresh HOME (PMCP keeps
// config, secrets, guidance, policy, logs and locks under it) and runs in it as the project root.
const ex = lookup(PMCP_EXAMPLES);
const FIXTURE = resolve(ROOT, "tests/seeds/fixtures/seed-servers.mjs");
const DEMO = { command: "node", args: [FIXTURE, "demo"] };

afterAll(cleanupSeedTemps);

function home(): string {
  return tempDir("pmcp-home");
}

const envFor = (h: string, extra: Record<string, string> = {}) => ({ HOME: h, ...extra });

function pmcp(args: string[], h: string, opts: { cwd?: string; env?: Record<string, string> } = {}) {
  return runToEnd(original("pmcp"), args, {
    env: envFor(h, opts.env),
    cwd: opts.cwd ?? h,
    timeoutMs: 30_000,
  });
}

/** Runs one of the seed's command lines with bash (the originals on PATH), in a fresh HOME. */
function shell(line: string, h: string, extra: Record<string, string> = {}) {
  return bash(line, { env: envFor(h, extra), cwd: h, timeoutMs: 30_000 });
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(resolve(path, ".."), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2));
}

/** ~/.mcp.json (the user config) with the given servers. */
function userConfig(h: string, servers: Record<string, unknown>): void {
  writeJson(join(h, ".mcp.json"), { mcpServers: servers });
}

function connect(h: string, args: string[] = [], extra: Record<string, string> = {}): Promise<SeedSession> {
  return connectOriginal("pmcp", args, { env: envFor(h, extra), cwd: h });
}

/** Parses the seed's call notation: `gateway.verb({ key: "value" })` (keys quoted or not). */
function parseCall(text: string): { name: string; arguments: Record<string, unknown> } {
  const m = /^(gateway\.\w+)\(([\s\S]*)\)\s*$/.exec(text.trim());
  if (!m) throw new Error(`not a gateway call: ${text}`);
  const body = m[2]!.trim();
  const json = body ? body.replace(/([{,]\s*)([A-Za-z_]\w*)\s*:/g, '$1"$2":') : "{}";
  return { name: m[1]!, arguments: JSON.parse(json) as Record<string, unknown> };
}

async function callSeed(
  client: Client,
  text: string,
  edit: (args: Record<string, unknown>) => void = () => {},
): Promise<{ isError: boolean; text: string }> {
  const call = parseCall(text);
  edit(call.arguments);
  const r = await client.callTool(call);
  // The text, then the structured result (PMCP's fields live there when the text is compact).
  return {
    isError: Boolean(r.isError),
    text: `${textOf(r)}\n${JSON.stringify(r.structuredContent ?? null)}`,
  };
}

async function mustCall(client: Client, text: string, edit?: (args: Record<string, unknown>) => void) {
  const r = await callSeed(client, text, edit);
  expect(r.isError, `${text}\n→ ${r.text}`).toBe(false);
  return r.text;
}

const GATEWAY_TOOLS = ex("pmcp.gateway-tools").text.split(" ");

async function sixteenTools(client: Client): Promise<void> {
  expect((await client.listTools()).tools).toHaveLength(16);
}

/** POSTs an initialize request with exactly these headers (node:http, so Host can be set). */
function initializeWith(headers: Record<string, string>): Promise<number> {
  const body = JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "proxy", version: "0" } },
  });
  return new Promise((res, rej) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: 3344,
        path: "/mcp",
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
      },
      (r) => {
        r.resume();
        res(r.statusCode ?? 0);
      },
    );
    req.on("error", rej);
    req.end(body);
  });
}

/** `pmcp --transport http` on the default port 3344, as the seed's HTTP examples assume. */
async function httpGateway(
  h: string,
  args: string[] = [],
  extra: Record<string, string> = {},
): Promise<Listening> {
  return startListening(original("pmcp"), ["--transport", "http", ...args], {
    env: envFor(h, extra),
    cwd: h,
  });
}

// --- Configure with pmcp setup -----------------------------------------------------------------------

seedTest(ex("pmcp.setup-claude-stdio"), async () => {
  const h = home();
  const r = await shell(ex("pmcp.setup-claude-stdio").text, h);
  expect(r.code, r.stderr).toBe(0);
  // The printed entry launches the gateway: run its command the way Claude would.
  const line = r.stdout.split("\n").find((l) => l.includes(" -- "))!;
  const [command, ...args] = line
    .slice(line.indexOf(" -- ") + 4)
    .trim()
    .split(/\s+/);
  const s = await connectCommand(command!, args, { env: envFor(h), cwd: h });
  try {
    await sixteenTools(s.client);
  } finally {
    await s.close();
  }
});

seedTest(ex("pmcp.setup-claude-http"), async () => {
  const r = await shell(ex("pmcp.setup-claude-http").text, home());
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain("http://127.0.0.1:3344/mcp");
});

seedTest(ex("pmcp.setup-opencode-stdio"), async () => {
  const h = home();
  const r = await shell(ex("pmcp.setup-opencode-stdio").text, h);
  expect(r.code, r.stderr).toBe(0);
  const entry = Object.values(
    (
      JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf("}") + 1)) as {
        mcp: Record<string, { command: string[] }>;
      }
    ).mcp,
  )[0]!;
  const [command, ...args] = entry.command;
  const s = await connectCommand(command!, args, { env: envFor(h), cwd: h });
  try {
    await sixteenTools(s.client);
  } finally {
    await s.close();
  }
});

seedTest(ex("pmcp.setup-opencode-http"), async () => {
  const r = await shell(ex("pmcp.setup-opencode-http").text, home());
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain("http://127.0.0.1:3344/mcp");
});

seedTest(ex("pmcp.setup-claude-http-write"), async () => {
  const h = home();
  const r = await shell(ex("pmcp.setup-claude-http-write").text, h);
  expect(r.code, r.stderr).toBe(0);
  const written = [".claude.json", ".mcp.json"].map((f) => join(h, f)).filter(existsSync);
  expect(written.length).toBeGreaterThan(0);
  expect(written.map((f) => readFileSync(f, "utf8")).join("\n")).toContain("http://127.0.0.1:3344/mcp");
});

// --- Shared service, security, proxies (port 3344, one at a time) ------------------------------------

seedTest(ex("pmcp.shared-http-config"), async () => {
  const h = home();
  const server = await httpGateway(h);
  try {
    const url = (JSON.parse(ex("pmcp.shared-http-config").text) as { mcpServers: { pmcp: { url: string } } })
      .mcpServers.pmcp.url;
    expect(server.url).toBe(url);
    const client = await connectHttp(url);
    await sixteenTools(client);
    await client.close();
  } finally {
    expect(await server.stop()).toBe(0);
  }
});

seedTest(ex("pmcp.curl"), async () => {
  const h = home();
  const server = await httpGateway(h);
  try {
    const r = await shell(ex("pmcp.curl").text, h);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
  } finally {
    await server.stop();
  }
});

async function requiresToken(server: Listening, token: string): Promise<void> {
  await expect(connectHttp(server.url)).rejects.toThrow();
  await expect(connectHttp(server.url, { token: "wrong" })).rejects.toThrow();
  const client = await connectHttp(server.url, { token });
  await sixteenTools(client);
  await client.close();
  expect(server.stderr()).not.toContain(token);
}

for (const id of ["pmcp.auth-flag", "pmcp.auth-env"]) {
  seedTest(ex(id), async () => {
    const h = home();
    const server = await startListening("bash", ["-c", ex(id).text], { env: envFor(h), cwd: h });
    try {
      expect(server.url).toBe("http://127.0.0.1:3344/mcp");
      await requiresToken(server, "mysecrettoken");
    } finally {
      await server.stop();
    }
  });
}

seedTest(ex("pmcp.systemd-unit"), async () => {
  const h = home();
  const exec = /^ExecStart=(.*)$/m.exec(ex("pmcp.systemd-unit").text)![1]!;
  const token = "instance-token-123";
  const [command, ...args] = exec.replace("%i", token).split(/\s+/);
  expect(command).toBe("/usr/local/bin/pmcp");
  const server = await startListening(original("pmcp"), args, { env: envFor(h), cwd: h });
  try {
    await requiresToken(server, token);
  } finally {
    expect(await server.stop()).toBe(0);
  }
});

seedTest(ex("pmcp.nohup"), async () => {
  const h = home();
  // The redirect needs ~/.pmcp/logs to exist (bash opens the file before pmcp starts), as after PMCP's setup.
  mkdirSync(join(h, ".pmcp/logs"), { recursive: true });
  const r = await shell(`${ex("pmcp.nohup").text}\necho $!`, h, { PMCP_AUTH_TOKEN: "nohup-token" });
  expect(r.code, r.stderr).toBe(0);
  const pid = Number(r.stdout.trim());
  try {
    const log = join(h, ".pmcp/logs/gateway.log");
    await waitFor(() => existsSync(log) && readFileSync(log, "utf8").includes("listening on"), 20_000);
    const client = await connectHttp("http://127.0.0.1:3344/mcp", { token: "nohup-token" });
    await sixteenTools(client);
    await client.close();
  } finally {
    process.kill(pid, "SIGTERM");
    await waitFor(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  }
});

seedTest(ex("pmcp.nginx"), async () => {
  const h = home();
  const server = await httpGateway(h, ["--auth-token", "proxied-token"]);
  try {
    // What `proxy_pass http://127.0.0.1:3344` sends: Host 127.0.0.1:3344, the client's Authorization.
    expect(await initializeWith({ host: "127.0.0.1:3344", authorization: "Bearer proxied-token" })).toBe(200);
    expect(await initializeWith({ host: "127.0.0.1:3344" })).toBe(401);
  } finally {
    await server.stop();
  }
});

seedTest(ex("pmcp.caddy"), async () => {
  const h = home();
  const server = await httpGateway(h);
  try {
    // Caddy forwards the public Host as it came: refused by DNS-rebinding protection on a loopback bind.
    expect(await initializeWith({ host: "pmcp.example.com" })).toBe(403);
    // With `header_up Host {upstream_hostport}` in the reverse_proxy block.
    expect(await initializeWith({ host: "127.0.0.1:3344" })).toBe(200);
  } finally {
    await server.stop();
  }
});

// --- Client configs, tools ----------------------------------------------------------------------------

seedTest(ex("pmcp.codex-config"), async () => {
  const h = home();
  const entry = (
    JSON.parse(ex("pmcp.codex-config").text) as {
      mcpServers: { gateway: { command: string; args: string[] } };
    }
  ).mcpServers.gateway;
  const s = await connectCommand(entry.command, entry.args, { env: envFor(h), cwd: h });
  try {
    await sixteenTools(s.client);
  } finally {
    await s.close();
  }
});

seedTest(ex("pmcp.gateway-tools"), async () => {
  const s = await connect(home());
  try {
    const names = (await s.client.listTools()).tools.map((t) => t.name);
    expect(names.sort()).toEqual([...GATEWAY_TOOLS].sort());
  } finally {
    await s.close();
  }
});

seedTest(ex("pmcp.guidance-telemetry-off"), async () => {
  const h = home();
  const r = await shell(ex("pmcp.guidance-telemetry-off").text, h);
  expect(r.code, r.stderr).toBe(0);
  // Saved in the guidance file: a later `pmcp guidance` reports it off.
  const after = await shell("pmcp guidance --json", h);
  expect(JSON.parse(after.stdout).telemetry).toBe(false);
});

// --- Progressive disclosure ---------------------------------------------------------------------------

seedTest(ex("pmcp.request-capability-docs"), async () => {
  const s = await connect(home());
  try {
    const text = await mustCall(s.client, ex("pmcp.request-capability-docs").text);
    expect(text).toContain("candidates");
    expect(text).toContain("context7");
  } finally {
    await s.close();
  }
});

seedTest(ex("pmcp.catalog-search-docs"), async () => {
  const h = home();
  userConfig(h, { demo: DEMO });
  const s = await connect(h);
  try {
    await mustCall(s.client, `gateway.describe({ tool_id: "demo::get-library-docs" })`);
    expect(await mustCall(s.client, ex("pmcp.catalog-search-docs").text)).toContain("demo::get-library-docs");
  } finally {
    await s.close();
  }
});

seedTest(ex("pmcp.refresh"), async () => {
  const h = home();
  userConfig(h, { demo: DEMO });
  const r = await shell(ex("pmcp.refresh").text, h);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain("demo");
});

seedTest(ex("pmcp.catalog-search-offline"), async () => {
  const h = home();
  userConfig(h, { demo: DEMO });
  expect((await shell("pmcp refresh", h)).code).toBe(0);
  const s = await connect(h);
  try {
    // The demo server has not started; its browser tool comes from the description cache.
    expect(await mustCall(s.client, ex("pmcp.catalog-search-offline").text)).toContain("browser_navigate");
  } finally {
    await s.close();
  }
});

seedTest(ex("pmcp.request-capability-github"), async () => {
  const s = await connect(home());
  try {
    const text = await mustCall(s.client, ex("pmcp.request-capability-github").text);
    expect(text).toContain("github");
    expect(text).toContain("GITHUB_PERSONAL_ACCESS_TOKEN");
  } finally {
    await s.close();
  }
});

seedTest(ex("pmcp.available-servers"), async () => {
  const h = home();
  for (const line of ex("pmcp.available-servers").text.split("\n")) {
    const words = line.split(" ");
    const withKey = words.length === 2 && /^[A-Z_]+$/.test(words[1]!);
    for (const name of withKey ? [words[0]!] : words) {
      const r = await pmcp(["status", "--server", name], h);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stdout, name).toMatch(new RegExp(`server ${name}: manifest-known`));
      if (withKey) expect(r.stdout, name).toContain(words[1]);
    }
  }
});

// --- Guidance -------------------------------------------------------------------------------------------

seedTest(ex("pmcp.guidance-yaml"), async () => {
  const h = home();
  mkdirSync(join(h, ".claude"), { recursive: true });
  writeFileSync(join(h, ".claude/gateway-guidance.yaml"), ex("pmcp.guidance-yaml").text);
  const r = await pmcp(["guidance"], h);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain("gateway-guidance.yaml");
  expect(r.stdout).not.toContain("not present");
  expect(r.stdout).toMatch(/level: minimal/);
  expect(r.stdout).toMatch(/code_snippets:\s+off/);
  const s = await connect(h);
  try {
    expect(s.client.getInstructions() ?? "").not.toBe("");
    const { resources } = await s.client.listResources();
    expect(resources.map((x) => x.uri)).toContain("pmcp://guidance/code-execution");
  } finally {
    await s.close();
  }
});

seedTest(ex("pmcp.guidance"), async () => {
  const r = await shell(ex("pmcp.guidance").text, home());
  expect(r.code, r.stderr).toBe(0);
  for (const layer of ["mcp_instructions", "code_hints", "code_snippets", "methodology_resource"])
    expect(r.stdout).toContain(layer);
});

seedTest(ex("pmcp.guidance-budget"), async () => {
  const r = await shell(ex("pmcp.guidance-budget").text, home());
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/token/i);
  expect(r.stdout).toMatch(/\d+/);
});

seedTest(ex("pmcp.guidance-resource"), async () => {
  const s = await connect(home());
  try {
    const r = await s.client.readResource({ uri: "pmcp://guidance/code-execution" });
    expect(String((r.contents[0] as { text?: string }).text ?? "").length).toBeGreaterThan(100);
  } finally {
    await s.close();
  }
});

// --- Configuration ----------------------------------------------------------------------------------------

seedTest(ex("pmcp.config-discovery"), async () => {
  const h = home();
  const project = join(h, "project");
  mkdirSync(join(project, ".git"), { recursive: true });
  const echo = (tag: string) => ({ ...DEMO, env: { SEED_TAG: tag } });
  writeJson(join(project, ".mcp.json"), { mcpServers: { shared: echo("from-project") } });
  userConfig(h, { shared: echo("from-user"), "in-home": DEMO });
  writeJson(join(h, ".claude/.mcp.json"), { mcpServers: { "in-claude": DEMO } });
  writeJson(join(h, "flag.json"), { mcpServers: { "by-flag": DEMO } });
  writeJson(join(h, "env.json"), { mcpServers: { "by-env": DEMO } });
  const flag = await pmcp(["status", "--config", join(h, "flag.json")], h, { cwd: project });
  const env = await pmcp(["status"], h, { cwd: project, env: { PMCP_CONFIG: join(h, "env.json") } });
  for (const r of [flag, env]) {
    expect(r.code, r.stderr).toBe(0);
    for (const name of ["shared", "in-home", "in-claude"]) expect(r.stdout).toContain(name);
  }
  expect(flag.stdout).toContain("by-flag");
  expect(env.stdout).toContain("by-env");
  // The project's definition of a name wins over the user's.
  const s = await connect(h, [], {});
  await s.close();
  const proj = await connectOriginal("pmcp", [], { env: envFor(h), cwd: project });
  try {
    const text = await mustCall(
      proj.client,
      `gateway.invoke({ tool_id: "shared::echo", arguments: { message: "who" } })`,
    );
    expect(text).toContain("from-project");
  } finally {
    await proj.close();
  }
});

seedTest(ex("pmcp.custom-server"), async () => {
  const h = home();
  const config = JSON.parse(ex("pmcp.custom-server").text) as {
    mcpServers: Record<string, { env: Record<string, string> }>;
  };
  config.mcpServers["my-custom-server"]!.env.API_KEY = "key-from-config"; // "..." in the seed
  writeJson(join(h, ".mcp.json"), config);
  writeFileSync(
    join(h, "my-server.js"),
    `process.argv.splice(2, 0, "demo");\nawait import(${JSON.stringify(`file://${FIXTURE}`)});\n`,
  );
  writeFileSync(join(h, "package.json"), '{"type":"module"}\n');
  const s = await connect(h);
  try {
    const text = await mustCall(
      s.client,
      `gateway.invoke({ tool_id: "my-custom-server::echo", arguments: { message: "hello" } })`,
    );
    expect(text).toContain("hello");
    expect(text).not.toContain("key-from-config"); // redacted or absent, never the secret itself
  } finally {
    await s.close();
  }
});

async function remoteRig(h: string, tokenInEnvFile: boolean) {
  const token = "acme-token-456";
  const remote = await startListening(
    original("pty-mcp"),
    ["--transport", "http", "--port", "0", "--auth-token", token],
    {
      env: envFor(h, { PTY_MCP_STATE_DIR: tempDir("pty-state") }),
    },
  );
  const origin = new URL(remote.url).origin;
  writeFileSync(
    join(h, ".mcp.json"),
    ex("pmcp.remote-servers")
      .text.replace("https://mcp.acme.dev/sse", `${origin}/sse`)
      .replace("https://mcp.acme.dev/mcp", `${origin}/mcp`),
  );
  const vars = { ACME_MCP_TOKEN: token, ACME_TENANT_ID: "tenant-1" };
  if (tokenInEnvFile) {
    mkdirSync(join(h, ".config/pmcp"), { recursive: true });
    writeFileSync(
      join(h, ".config/pmcp/pmcp.env"),
      "ACME_MCP_TOKEN=acme-token-456\nACME_TENANT_ID=tenant-1\n",
    );
  }
  const s = await connect(h, [], tokenInEnvFile ? {} : vars);
  return { remote, s };
}

for (const [id, envFile] of [
  ["pmcp.remote-servers", false],
  ["pmcp.pmcp-env", true],
] as const) {
  seedTest(ex(id), async () => {
    const h = home();
    const { remote, s } = await remoteRig(h, envFile);
    try {
      for (const server of ["acme-sse", "acme-http"]) {
        const text = await mustCall(
          s.client,
          `gateway.invoke({ tool_id: "${server}::pty_list", arguments: { owner: "seed" } })`,
        );
        // pty_list answered (an empty session list) through the authenticated remote transport.
        expect(text.split("\n")[0]).toBe("[]");
      }
    } finally {
      await s.close();
      await remote.stop();
    }
  });
}

// --- Secrets -----------------------------------------------------------------------------------------------

function envFile(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

seedTest(ex("pmcp.secrets-set-user"), async () => {
  const h = home();
  const r = await shell(ex("pmcp.secrets-set-user").text, h);
  expect(r.code, r.stderr).toBe(0);
  expect(envFile(join(h, ".config/pmcp/pmcp.env"))).toContain("API_TOKEN=your-token");
  expect(r.stdout + r.stderr).not.toContain("your-token");
});

seedTest(ex("pmcp.secrets-set-my-token"), async () => {
  const h = home();
  const r = await shell(ex("pmcp.secrets-set-my-token").text, h);
  expect(r.code, r.stderr).toBe(0);
  expect(envFile(join(h, ".config/pmcp/pmcp.env"))).toContain("API_TOKEN=my-token");
});

seedTest(ex("pmcp.secrets-set-project"), async () => {
  const h = home();
  const project = tempDir("pmcp-project"); // for /path/to/project
  const r = await shell(ex("pmcp.secrets-set-project").text.replace("/path/to/project", project), h);
  expect(r.code, r.stderr).toBe(0);
  expect(envFile(join(project, ".env.pmcp"))).toContain("API_TOKEN=your-token");
});

seedTest(ex("pmcp.secrets-sync-to-project"), async () => {
  const h = home();
  expect((await shell("pmcp secrets set SYNCED_KEY from-user --scope user", h)).code).toBe(0);
  const r = await shell(ex("pmcp.secrets-sync-to-project").text, h);
  expect(r.code, r.stderr).toBe(0);
  expect(envFile(join(h, ".env.pmcp"))).toContain("SYNCED_KEY=from-user");
});

seedTest(ex("pmcp.secrets-sync-to-user"), async () => {
  const h = home();
  expect(
    (await shell(`pmcp secrets set SYNCED_KEY from-project --scope project --project ${h}`, h)).code,
  ).toBe(0);
  const r = await shell(ex("pmcp.secrets-sync-to-user").text, h);
  expect(r.code, r.stderr).toBe(0);
  expect(envFile(join(h, ".config/pmcp/pmcp.env"))).toContain("SYNCED_KEY=from-project");
});

// --- Policy ------------------------------------------------------------------------------------------------

seedTest(ex("pmcp.policy"), async () => {
  const h = home();
  mkdirSync(join(h, ".claude"), { recursive: true });
  writeFileSync(join(h, ".claude/gateway-policy.yaml"), ex("pmcp.policy").text);
  userConfig(h, { demo: DEMO, "dangerous-server": DEMO });
  const s = await connect(h);
  try {
    const denied = await callSeed(
      s.client,
      `gateway.invoke({ tool_id: "dangerous-server::echo", arguments: { message: "x" } })`,
    );
    expect(denied.isError).toBe(true);
    for (const tool of ["delete_item", "drop_table"]) {
      const r = await callSeed(s.client, `gateway.invoke({ tool_id: "demo::${tool}", arguments: {} })`);
      expect(r.isError, tool).toBe(true);
    }
    const echo = await mustCall(
      s.client,
      `gateway.invoke({ tool_id: "demo::echo", arguments: { message: "api_key=abc123secret password: hunter2" } })`,
    );
    expect(echo).not.toContain("abc123secret");
    expect(echo).not.toContain("hunter2");
  } finally {
    await s.close();
  }
});

// --- CLI commands ------------------------------------------------------------------------------------------

seedTest(ex("pmcp.start"), async () => {
  const h = home();
  const s = await connectCommand(ex("pmcp.start").text, [], { env: envFor(h), cwd: h });
  try {
    await sixteenTools(s.client);
  } finally {
    await s.close();
  }
});

for (const id of ["pmcp.status", "pmcp.setup", "pmcp.logs-tail"]) {
  seedTest(ex(id), async () => {
    const h = home();
    if (id === "pmcp.logs-tail") await (await connect(h)).close(); // a gateway has run, so a log exists
    const r = await shell(ex(id).text, h);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().length).toBeGreaterThan(0);
  });
}

seedTest(ex("pmcp.status-json"), async () => {
  const r = await shell(ex("pmcp.status-json").text, home());
  expect(r.code, r.stderr).toBe(0);
  expect(typeof JSON.parse(r.stdout)).toBe("object");
});

seedTest(ex("pmcp.status-server"), async () => {
  const r = await shell(ex("pmcp.status-server").text, home());
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain("playwright");
});

seedTest(ex("pmcp.logs"), async () => {
  const h = home();
  await (await connect(h)).close();
  const r = await shell(ex("pmcp.logs").text, h);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/gateway|listening|serving|stdio/i);
});

seedTest(ex("pmcp.logs-level-debug"), async () => {
  const h = home();
  await (await connect(h, ["--log-level", "debug"])).close();
  const r = await shell(ex("pmcp.logs-level-debug").text, h);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout.trim().length).toBeGreaterThan(0);
});

seedTest(ex("pmcp.logs-follow"), async () => {
  const h = home();
  await (await connect(h)).close();
  const child: ChildProcess = spawn("bash", ["-c", `exec ${ex("pmcp.logs-follow").text}`], {
    env: seedEnv(envFor(h)),
    cwd: h,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | string | null>((r) => child.once("exit", (c, sig) => r(c ?? sig)));
  try {
    await waitFor(() => out.trim().length > 0, 15_000);
    // Live tail: a second gateway's lines appear while it follows.
    const before = out.length;
    await (await connect(h)).close();
    await waitFor(() => out.length > before, 15_000);
  } finally {
    child.kill("SIGINT");
    await exited;
  }
});

seedTest(ex("pmcp.refresh-server"), async () => {
  const h = home();
  userConfig(h, { github: DEMO });
  const r = await shell(ex("pmcp.refresh-server").text, h);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain("github");
});

seedTest(ex("pmcp.refresh-force"), async () => {
  const h = home();
  userConfig(h, { demo: DEMO });
  const r = await shell(ex("pmcp.refresh-force").text, h);
  expect(r.code, r.stderr).toBe(0);
});

seedTest(ex("pmcp.init"), async () => {
  const h = home();
  const r = await shell(ex("pmcp.init").text, h);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(readFileSync(join(h, ".mcp.json"), "utf8"))).toHaveProperty("mcpServers");
});

seedTest(ex("pmcp.setup-opencode-http-write"), async () => {
  const h = home();
  const r = await shell(ex("pmcp.setup-opencode-http-write").text, h);
  expect(r.code, r.stderr).toBe(0);
  expect(envFile(join(h, ".config/opencode/opencode.json"))).toContain("http://127.0.0.1:3344/mcp");
});

seedTest(ex("pmcp.doctor"), async () => {
  const r = await shell(ex("pmcp.doctor").text, home());
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(/lock/);
  expect(r.stdout).toMatch(/http/);
});

seedTest(ex("pmcp.doctor-project"), async () => {
  const project = tempDir("pmcp-project");
  writeJson(join(project, ".mcp.json"), { mcpServers: { demo: DEMO } });
  const r = await shell(ex("pmcp.doctor-project").text.replace("/path/to/project", project), home());
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toContain(project);
});

// --- Singleton lock --------------------------------------------------------------------------------------

async function stateWritten(dir: string, start: () => Promise<SeedSession>): Promise<void> {
  const s = await start();
  try {
    await sixteenTools(s.client);
    expect(existsSync(dir) && readdirSync(dir).length > 0, `${dir} holds the gateway's state`).toBe(true);
  } finally {
    await s.close();
  }
}

seedTest(ex("pmcp.lock-dir-flag"), async () => {
  const h = home();
  const dir = join(tempDir("pmcp-lock"), "custom/path"); // for /custom/path
  const [command, ...args] = ex("pmcp.lock-dir-flag").text.replace("/custom/path", dir).split(" ");
  await stateWritten(dir, () => connectCommand(command!, args, { env: envFor(h), cwd: h }));
});

seedTest(ex("pmcp.lock-dir-env"), async () => {
  const h = home();
  const dir = join(tempDir("pmcp-lock"), "custom/path");
  const script = ex("pmcp.lock-dir-env").text.replace("/custom/path", dir);
  await stateWritten(dir, () => connectCommand("bash", ["-c", script], { env: envFor(h), cwd: h }));
});

seedTest(ex("pmcp.lock-dir-project"), async () => {
  const h = home();
  const [command, ...args] = ex("pmcp.lock-dir-project").text.split(" ");
  await stateWritten(join(h, ".mcp-gateway"), () =>
    connectCommand(command!, args, { env: envFor(h), cwd: h }),
  );
});

seedTest(ex("pmcp.dev-debug"), async () => {
  const h = home();
  const [, , command, ...args] = ex("pmcp.dev-debug").text.split(" ");
  const s = await connectCommand(command!, args, { env: envFor(h), cwd: h });
  try {
    await sixteenTools(s.client);
    expect(s.stderr()).toMatch(/debug/i);
  } finally {
    await s.close();
  }
});

// --- Troubleshooting -------------------------------------------------------------------------------------

seedTest(ex("pmcp.missing-api-key"), async () => {
  const [status, exportLine] = ex("pmcp.missing-api-key").text.split("\n");
  const h = home();
  const before = await shell(status!, h);
  expect(before.code, before.stderr).toBe(0);
  expect(before.stdout).toMatch(/GITHUB_PERSONAL_ACCESS_TOKEN MISSING/i);
  const after = await shell(`${exportLine}\n${status}`, h);
  expect(after.stdout).toMatch(/GITHUB_PERSONAL_ACCESS_TOKEN present/i);
  expect(after.stdout).not.toContain("ghp_...");
});

async function troubleshootRig() {
  const h = home();
  userConfig(h, { server: DEMO }); // "server::tool-name" → the server named "server", its tool "echo"
  return connect(h);
}

seedTest(ex("pmcp.troubleshoot-describe"), async () => {
  const s = await troubleshootRig();
  try {
    const text = await mustCall(s.client, ex("pmcp.troubleshoot-describe").text, (a) => {
      a.tool_id = "server::echo";
    });
    expect(text).toContain("message");
  } finally {
    await s.close();
  }
});

seedTest(ex("pmcp.troubleshoot-search"), async () => {
  const s = await troubleshootRig();
  try {
    await mustCall(s.client, `gateway.describe({ tool_id: "server::echo" })`); // starts the lazy server
    const text = await mustCall(s.client, ex("pmcp.troubleshoot-search").text, (a) => {
      a.query = "echo";
    });
    expect(text).toContain("server::echo");
  } finally {
    await s.close();
  }
});

seedTest(ex("pmcp.troubleshoot-list-pending"), async () => {
  const s = await troubleshootRig();
  try {
    await mustCall(s.client, ex("pmcp.troubleshoot-list-pending").text);
  } finally {
    await s.close();
  }
});
