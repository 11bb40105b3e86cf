import { chmodSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, expect } from "vitest";
import { readTinyToml } from "../distribution/tiny-toml.ts";
import { type FakePtm, startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { PTM_EXAMPLES } from "./examples/ptm-mcp.ts";
import { lookup } from "./examples/types.ts";
import {
  cleanupSeedTemps,
  connectCommand,
  connectOriginal,
  original,
  originalsBin,
  runToEnd,
  seedEnv,
  tempDir,
  textOf,
} from "./helpers.ts";
import { seedTest } from "./seed-test.ts";

// shared/seeds/ptm-mcp.txt, run against mcpkit started as `ptm-mcp`, with the fake PTM backend
// (tests/fixtures/ptm, per contracts/ptm-api.md).
const ex = lookup(PTM_EXAMPLES);
let fake: FakePtm;

beforeAll(async () => {
  fake = await startFakePtm();
});
afterAll(async () => {
  await fake?.close();
  cleanupSeedTemps();
});

/** The seed's placeholders replaced by the fake backend's URL and token. */
function live(value: string): string {
  return value.replaceAll("https://ptm.example.com", fake.url).replaceAll("ptm_u_PASTE_HERE", fake.token);
}

function liveEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, live(v)]));
}

/** `uvx ptm-mcp` → `ptm-mcp`: the one change the client entries need (see the example's difference). */
function withoutUvx(command: string, args: string[]): [string, string[]] {
  expect([command, args[0]]).toEqual(["uvx", "ptm-mcp"]);
  return ["ptm-mcp", args.slice(1)];
}

const env = (extra: Record<string, string> = {}) => ({
  PTM_API_BASE_URL: fake.url,
  PTM_API_TOKEN: fake.token,
  ...extra,
});

async function readOnlyWorks(client: Client): Promise<void> {
  const list = await client.callTool({ name: "list_prompts", arguments: {} });
  expect(list.isError, textOf(list)).toBeFalsy();
  expect(textOf(list)).toContain("team.summarizer");
  const write = await client.callTool({
    name: "activate_prompt_version",
    arguments: { prompt_id: "team.summarizer", version: 1 },
  });
  expect(write.isError).toBe(true);
  expect(textOf(write)).toContain("PTM_MCP_READ_ONLY");
}

async function runEntry(command: string, args: string[], entryEnv: Record<string, string>) {
  const s = await connectCommand(command, args, { env: liveEnv(entryEnv) });
  try {
    await readOnlyWorks(s.client);
  } finally {
    await s.close();
  }
}

seedTest(ex("ptm.claude-desktop"), async () => {
  const entry = JSON.parse(ex("ptm.claude-desktop").text).mcpServers.ptm;
  await runEntry(...withoutUvx(entry.command, entry.args), entry.env);
});

seedTest(ex("ptm.claude-code"), async () => {
  const words = ex("ptm.claude-code").text.replace(/\\\n/g, " ").split(/\s+/).filter(Boolean);
  const entryEnv: Record<string, string> = {};
  words.forEach((w, i) => {
    if (w === "--env") {
      const [k, ...v] = words[i + 1]!.split("=");
      entryEnv[k!] = v.join("=");
    }
  });
  const [command, ...args] = words.slice(words.indexOf("--") + 1);
  expect(words.slice(0, 8)).toEqual([
    "claude",
    "mcp",
    "add",
    "--transport",
    "stdio",
    "--scope",
    "user",
    "ptm",
  ]);
  await runEntry(...withoutUvx(command!, args), entryEnv);
});

seedTest(ex("ptm.codex-toml"), async () => {
  // tiny-toml reads JSON-compatible values; the seed's inline table becomes a JSON object first.
  const text = ex("ptm.codex-toml").text.replace(
    /^env = \{(.*)\}$/m,
    (_, body: string) => `env = {${body.replace(/(\w+) = /g, '"$1": ')}}`,
  );
  const toml = readTinyToml(text) as {
    mcp_servers: { ptm: { command: string; args: string[]; env: Record<string, string> } };
  };
  const entry = toml.mcp_servers.ptm;
  expect(entry).toMatchObject({ startup_timeout_sec: 10, tool_timeout_sec: 60 });
  await runEntry(...withoutUvx(entry.command, entry.args), entry.env);
});

seedTest(ex("ptm.env-base-url"), async () => {
  const missing = await runToEnd(original("ptm-mcp"), [], { env: { PTM_API_TOKEN: fake.token } });
  expect(missing.code).not.toBe(0);
  expect(missing.stderr).toContain("PTM_API_BASE_URL");
  const s = await connectOriginal("ptm-mcp", [], { env: env() });
  await s.close();
  expect(fake.requests.some((r) => r.path === "/healthz")).toBe(true);
});

seedTest(ex("ptm.env-token"), async () => {
  const missing = await runToEnd(original("ptm-mcp"), [], { env: { PTM_API_BASE_URL: fake.url } });
  expect(missing.code).not.toBe(0);
  expect(missing.stderr).toContain("PTM_API_TOKEN");
  const s = await connectOriginal("ptm-mcp", [], { env: env() });
  try {
    await s.client.callTool({ name: "list_providers", arguments: {} });
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${fake.token}`);
  } finally {
    await s.close();
  }
});

seedTest(ex("ptm.env-read-only"), async () => {
  const ro = await connectOriginal("ptm-mcp", [], { env: env() });
  try {
    await readOnlyWorks(ro.client);
  } finally {
    await ro.close();
  }
  const rw = await connectOriginal("ptm-mcp", [], { env: env({ PTM_MCP_READ_ONLY: "false" }) });
  try {
    const r = await rw.client.callTool({
      name: "activate_prompt_version",
      arguments: { prompt_id: "team.summarizer", version: 1 },
    });
    expect(r.isError, textOf(r)).toBeFalsy();
  } finally {
    await rw.close();
  }
});

seedTest(ex("ptm.env-timeout"), async () => {
  for (const bad of ["0", "601"]) {
    const r = await runToEnd(original("ptm-mcp"), [], { env: env({ PTM_MCP_TIMEOUT_SECONDS: bad }) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("PTM_MCP_TIMEOUT_SECONDS");
  }
  const s = await connectOriginal("ptm-mcp", [], { env: env({ PTM_MCP_TIMEOUT_SECONDS: "1" }) });
  try {
    fake.fail({ path: "/prompts", status: 200, body: { items: [] }, delayMs: 3000, times: 1 });
    const r = await s.client.callTool({ name: "list_prompts", arguments: {} });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/time/i);
  } finally {
    fake.clearFaults();
    await s.close();
  }
});

seedTest(ex("ptm.env-log-level"), async () => {
  for (const level of ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]) {
    const s = await connectOriginal("ptm-mcp", [], { env: env({ PTM_MCP_LOG_LEVEL: level }) });
    await s.close();
  }
  const bad = await runToEnd(original("ptm-mcp"), [], { env: env({ PTM_MCP_LOG_LEVEL: "LOUD" }) });
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain("PTM_MCP_LOG_LEVEL");
  const debug = await connectOriginal("ptm-mcp", [], { env: env({ PTM_MCP_LOG_LEVEL: "DEBUG" }) });
  const quiet = await connectOriginal("ptm-mcp", [], { env: env({ PTM_MCP_LOG_LEVEL: "ERROR" }) });
  await debug.close();
  await quiet.close();
  expect(debug.stderr().length).toBeGreaterThan(quiet.stderr().length);
});

seedTest(ex("ptm.env-cf-service-token"), async () => {
  const behind = await startFakePtm({
    cloudflare: { mode: "redirect", clientId: "cf-id.access", clientSecret: "cf-secret" },
  });
  try {
    const base = { PTM_API_BASE_URL: behind.url, PTM_API_TOKEN: behind.token, PTM_CF_AUTO_DISCOVER: "false" };
    const s = await connectOriginal("ptm-mcp", [], {
      env: { ...base, CF_ACCESS_CLIENT_ID: "cf-id.access", CF_ACCESS_CLIENT_SECRET: "cf-secret" },
    });
    try {
      const r = await s.client.callTool({ name: "list_providers", arguments: {} });
      expect(r.isError, textOf(r)).toBeFalsy();
      expect(behind.requests.at(-1)?.headers["cf-access-client-id"]).toBe("cf-id.access");
    } finally {
      await s.close();
    }
    // "Paired": one without the other is a start-up error naming the missing half.
    const half = await runToEnd(original("ptm-mcp"), [], {
      env: { ...base, CF_ACCESS_CLIENT_ID: "cf-id.access" },
    });
    expect(half.code).not.toBe(0);
    expect(half.stderr).toContain("CF_ACCESS_CLIENT_SECRET");
    expect(half.stderr).not.toContain("cf-id.access");
  } finally {
    await behind.close();
  }
});

seedTest(ex("ptm.env-cf-jwt"), async () => {
  const behind = await startFakePtm({ cloudflare: { mode: "redirect", jwt: "user.jwt.value" } });
  try {
    const s = await connectOriginal("ptm-mcp", [], {
      env: {
        PTM_API_BASE_URL: behind.url,
        PTM_API_TOKEN: behind.token,
        PTM_CF_AUTO_DISCOVER: "false",
        CF_ACCESS_JWT: "user.jwt.value",
      },
    });
    try {
      const r = await s.client.callTool({ name: "list_providers", arguments: {} });
      expect(r.isError, textOf(r)).toBeFalsy();
    } finally {
      await s.close();
    }
  } finally {
    await behind.close();
  }
});

seedTest(ex("ptm.env-cf-auto-discover"), async () => {
  const behind = await startFakePtm({ cloudflare: { mode: "redirect", jwt: "cached.login.jwt" } });
  // A stand-in cloudflared that answers `cloudflared access token -app=<url>` with a cached login's JWT.
  const bin = tempDir("cloudflared");
  writeFileSync(
    join(bin, "cloudflared"),
    '#!/bin/sh\n[ "$1 $2" = "access token" ] && echo cached.login.jwt\n',
  );
  chmodSync(join(bin, "cloudflared"), 0o755);
  const path = [bin, originalsBin(), seedEnv().PATH].join(delimiter);
  const base = { PTM_API_BASE_URL: behind.url, PTM_API_TOKEN: behind.token, PATH: path };
  try {
    const s = await connectOriginal("ptm-mcp", [], { env: base });
    try {
      const r = await s.client.callTool({ name: "list_providers", arguments: {} });
      expect(r.isError, textOf(r)).toBeFalsy();
    } finally {
      await s.close();
    }
    const offEnv = { ...base, PTM_CF_AUTO_DISCOVER: "false", PTM_MCP_PREFLIGHT_BACKOFF_MS: "10" };
    const off = await runToEnd(original("ptm-mcp"), ["check"], { env: offEnv });
    expect(off.code).not.toBe(0);
    expect(off.stderr).toMatch(/CF_ACCESS_CLIENT_ID/);
    // The server still answers; its tool calls carry the same refusal.
    const served = await connectOriginal("ptm-mcp", [], { env: offEnv });
    try {
      const r = await served.client.callTool({ name: "list_providers", arguments: {} });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/CF_ACCESS_CLIENT_ID/);
    } finally {
      await served.close();
    }
  } finally {
    await behind.close();
  }
});

seedTest(ex("ptm.tool-inventory"), async () => {
  const names = ex("ptm.tool-inventory")
    .text.replace(/^Eval \/ optimization \(4\): /m, "")
    .split(/[,.\n]/)
    .map((n) => n.trim())
    .filter(Boolean);
  expect(names).toHaveLength(24);
  const s = await connectOriginal("ptm-mcp", [], { env: env() });
  try {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...names].sort());
  } finally {
    await s.close();
  }
});

seedTest(ex("ptm.submit-optimization-fields"), async () => {
  const s = await connectOriginal("ptm-mcp", [], { env: env() });
  try {
    const { tools } = await s.client.listTools();
    const schema = tools.find((t) => t.name === "submit_optimization")!.inputSchema as {
      properties: Record<string, { type?: string; minimum?: number; maximum?: number; enum?: string[] }>;
      required?: string[];
    };
    const fields = [
      "stability_samples",
      "validation_samples",
      "flakiness_threshold",
      "min_consistent_improvement",
      "variance_aware_mutator",
      "variance_signal",
      "enforce_target_score",
    ];
    for (const f of fields) {
      expect(schema.properties[f], f).toBeDefined();
      expect(schema.required ?? []).not.toContain(f);
    }
    expect(schema.properties.stability_samples).toMatchObject({ minimum: 1, maximum: 10 });
    expect(schema.properties.flakiness_threshold).toMatchObject({ minimum: 0, maximum: 1 });
    expect(schema.properties.min_consistent_improvement).toMatchObject({ minimum: 0, maximum: 100 });
    expect(schema.properties.variance_signal!.enum!.sort()).toEqual(["both", "embedding", "levenshtein"]);
  } finally {
    await s.close();
  }
});

seedTest(ex("ptm.error-codes"), async () => {
  const s = await connectOriginal("ptm-mcp", [], { env: env() });
  try {
    for (const line of ex("ptm.error-codes").text.split("\n")) {
      const [, status, message] = /^(\d+) -> "(.*)"$/.exec(line)!;
      fake.fail({
        path: "/prompts/team.summarizer",
        status: Number(status),
        body: { detail: "no" },
        times: 1,
      });
      const r = await s.client.callTool({ name: "get_prompt", arguments: { prompt_id: "team.summarizer" } });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain(message);
    }
  } finally {
    fake.clearFaults();
    await s.close();
  }
});

seedTest(ex("ptm.resources"), async () => {
  const s = await connectOriginal("ptm-mcp", [], { env: env() });
  try {
    const { resourceTemplates } = await s.client.listResourceTemplates();
    const patterns = ex("ptm.resources").text.split("\n");
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual([...patterns].sort());
    const text = await s.client.readResource({ uri: "ptm://prompts/team.summarizer" });
    expect(text.contents[0]).toMatchObject({ mimeType: "text/plain", text: "Summarize: {{text}}" });
    // "Dynamic segments are allow-list validated (… plus explicit ./.. rejection)".
    await expect(s.client.readResource({ uri: "ptm://prompts/.." })).rejects.toThrow();
  } finally {
    await s.close();
  }
});

seedTest(ex("ptm.headers"), async () => {
  const s = await connectOriginal("ptm-mcp", [], { env: env() });
  try {
    await s.client.callTool({ name: "list_providers", arguments: {} });
    const last = fake.requests.at(-1)!;
    expect(last.headers["x-ptm-client"]).toMatch(/^ptm-mcp\/\S+$/);
    expect(last.headers["x-ptm-mcp-session"]).toMatch(/^[0-9a-f-]{36}$/);
  } finally {
    await s.close();
  }
});

seedTest(ex("ptm.exit-codes"), async () => {
  // 0: the client closes stdin.
  const clean = await runToEnd(original("ptm-mcp"), [], { env: env() });
  expect(clean.code).toBe(0);
  // 2: /healthz never answers (PTM_MCP_PREFLIGHT_BACKOFF_MS, a testing aid, shortens the 31 s of backoff).
  const sick = await startFakePtm({ neverHealthy: true });
  const unhealthy = await runToEnd(original("ptm-mcp"), ["check"], {
    env: { PTM_API_BASE_URL: sick.url, PTM_API_TOKEN: sick.token, PTM_MCP_PREFLIGHT_BACKOFF_MS: "10,20" },
  });
  await sick.close();
  expect(unhealthy.code).toBe(2);
  // 3: /auth/me rejects the token.
  const rejected = await runToEnd(original("ptm-mcp"), ["check"], {
    env: env({ PTM_API_TOKEN: "ptm_u_wrong" }),
  });
  expect(rejected.code).toBe(3);
  expect(rejected.stderr).not.toContain("ptm_u_wrong");
  // 4: backend older than 1.9.0.
  const old = await startFakePtm({ version: "1.8.9" });
  const tooOld = await runToEnd(original("ptm-mcp"), ["check"], {
    env: { PTM_API_BASE_URL: old.url, PTM_API_TOKEN: old.token },
  });
  await old.close();
  expect(tooOld.code).toBe(4);
  // 130: SIGINT while serving.
  const { spawn } = await import("node:child_process");
  const child = spawn(original("ptm-mcp"), [], { env: seedEnv(env()), stdio: ["pipe", "pipe", "pipe"] });
  const code = new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
  child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" })}\n`);
  await new Promise<void>((r) => child.stdout.once("data", () => r()));
  child.kill("SIGINT");
  expect(await code).toBe(130);
});
