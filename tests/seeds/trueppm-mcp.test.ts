import { spawn } from "node:child_process";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, expect } from "vitest";
import * as D from "../fixtures/trueppm/data.ts";
import { FakeTrueppm } from "../fixtures/trueppm/fake-backend.ts";
import { connectHttp } from "../helpers/mcpkit.ts";
import { entrypointProcess, parseDockerRun } from "./docker.ts";
import { TRUEPPM_EXAMPLES } from "./examples/trueppm-mcp.ts";
import { lookup } from "./examples/types.ts";
import {
  cleanupSeedTemps,
  connectCommand,
  connectOriginal,
  original,
  runToEnd,
  seedEnv,
  startListening,
  textOf,
} from "./helpers.ts";
import { seedTest } from "./seed-test.ts";

// shared/seeds/trueppm-mcp.txt, run against mcpkit started as `trueppm-mcp`, with a fake TruePPM API.
const ex = lookup(TRUEPPM_EXAMPLES);
const TOKEN = `tppm_${"ab12".repeat(16)}`;
const BEARER = "a-long-random-secret-for-your-clients";
let fake: FakeTrueppm;

beforeAll(async () => {
  fake = await new FakeTrueppm().addToken(TOKEN).start();
});
afterAll(async () => {
  await fake?.close();
  cleanupSeedTemps();
});

/** The seeds' placeholders (instance URL, token) replaced by the fake API's. */
function live(text: string): string {
  return text.replaceAll("https://ppm.example.com", fake.origin).replaceAll("tppm_your_token_here", TOKEN);
}

const env = (extra: Record<string, string> = {}) => ({
  TRUEPPM_API_URL: fake.origin,
  TRUEPPM_API_TOKEN: TOKEN,
  ...extra,
});

async function whoami(client: Client) {
  const r = await client.callTool({ name: "whoami", arguments: {} });
  expect(r.isError, textOf(r)).toBeFalsy();
  return textOf(r);
}

seedTest(ex("trueppm.env-url"), async () => {
  for (const url of [fake.origin, `${fake.origin}/api/v1`, `${fake.origin}/api/v1/`]) {
    const s = await connectOriginal("trueppm-mcp", [], { env: env({ TRUEPPM_API_URL: url }) });
    try {
      await whoami(s.client);
    } finally {
      await s.close();
    }
  }
  // Every request went to /api/v1/… exactly once-prefixed.
  expect(
    fake.requests.every((r) => r.path.startsWith("/api/v1/") && !r.path.startsWith("/api/v1/api/v1")),
  ).toBe(true);
});

seedTest(ex("trueppm.env-token"), async () => {
  const s = await connectOriginal("trueppm-mcp", [], { env: env() });
  try {
    expect(await whoami(s.client)).not.toContain(TOKEN);
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  } finally {
    await s.close();
  }
});

seedTest(ex("trueppm.env-missing"), async () => {
  for (const [name, blank] of [
    ["TRUEPPM_API_URL", ""],
    ["TRUEPPM_API_TOKEN", "   "],
  ] as const) {
    const values = env();
    values[name] = blank;
    const r = await runToEnd(original("trueppm-mcp"), [], { env: values });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(name);
    expect(r.stderr).not.toContain(TOKEN);
  }
});

seedTest(ex("trueppm.boot-check"), async () => {
  const before = fake.requestsTo("auth/me/").length;
  const s = await connectOriginal("trueppm-mcp", [], { env: env() });
  // Two queries after the check: the token is confirmed once, not per query.
  for (let i = 0; i < 2; i++) {
    const r = await s.client.callTool({ name: "list_programs", arguments: {} });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
  }
  await s.close();
  expect(fake.requestsTo("auth/me/").length - before).toBe(1);
  const bad = `tppm_${"00".repeat(32)}`;
  const r = await runToEnd(original("trueppm-mcp"), ["check"], { env: env({ TRUEPPM_API_TOKEN: bad }) });
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/the TruePPM API rejected the configured token \(HTTP 401\)/i);
  expect(r.stderr).not.toContain(bad);
  // Served, the same error reaches every tool call instead of a bare 401.
  const served = await connectOriginal("trueppm-mcp", [], { env: env({ TRUEPPM_API_TOKEN: bad }) });
  try {
    const call = await served.client.callTool({ name: "list_programs", arguments: {} });
    expect(call.isError).toBe(true);
    expect(JSON.stringify(call.content)).toMatch(/rejected the configured token \(HTTP 401\)/i);
    expect(JSON.stringify(call.content)).not.toContain(bad);
  } finally {
    await served.close();
  }
});

seedTest(ex("trueppm.flag-stdio"), async () => {
  // stdio is the default, and --host/--port are ignored for it (even a public host needs no token).
  const s = await connectOriginal(
    "trueppm-mcp",
    ["--transport", "stdio", "--host", "0.0.0.0", "--port", "1"],
    {
      env: env(),
    },
  );
  try {
    await whoami(s.client);
  } finally {
    await s.close();
  }
});

for (const [id, transport, path] of [
  ["trueppm.flag-http", "http", "/mcp"],
  ["trueppm.flag-sse", "sse", "/sse"],
] as const) {
  seedTest(ex(id), async () => {
    const server = await startListening(original("trueppm-mcp"), ["--transport", transport], { env: env() });
    try {
      expect(server.url).toBe(`http://127.0.0.1:8000${path}`);
      const client = await connectHttp(server.url, { sse: transport === "sse" });
      await whoami(client);
      await client.close();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
}

seedTest(ex("trueppm.run-stdio"), async () => {
  const line = live(ex("trueppm.run-stdio").text);
  const s = await connectCommand("bash", ["-c", line]);
  try {
    await whoami(s.client);
  } finally {
    await s.close();
  }
  // "Ctrl-C to stop": SIGINT ends it with 130 (bash execs the last command, so the signal reaches it).
  const child = spawn("bash", ["-c", line], { env: seedEnv(), stdio: ["pipe", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const code = new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
  child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" })}\n`);
  await new Promise<void>((r) => child.stdout.once("data", () => r()));
  child.kill("SIGINT");
  expect(await code, err).toBe(130);
});

seedTest(ex("trueppm.run-http"), async () => {
  const server = await startListening("bash", ["-c", live(ex("trueppm.run-http").text)]);
  try {
    expect(server.url).toBe("http://127.0.0.1:8000/mcp");
    const client = await connectHttp(server.url);
    await whoami(client);
    await client.close();
  } finally {
    expect(await server.stop()).toBe(0);
  }
});

seedTest(ex("trueppm.docker-stdio"), async () => {
  const run = parseDockerRun(live(ex("trueppm.docker-stdio").text));
  expect(run.interactive).toBe(true);
  const proc = entrypointProcess(run);
  const s = await connectCommand(proc.command, proc.args, { env: proc.env });
  try {
    await whoami(s.client);
  } finally {
    await s.close();
  }
});

seedTest(ex("trueppm.docker-http"), async () => {
  // As written: refused, one line naming the variable to add.
  const run = parseDockerRun(live(ex("trueppm.docker-http").text));
  expect(run.publish).toEqual(["8000:8000"]);
  const proc = entrypointProcess(run);
  const refused = await runToEnd(proc.command, proc.args, { env: proc.env });
  expect(refused.code).toBe(2);
  expect(refused.stderr.trim().split("\n")).toHaveLength(1);
  expect(refused.stderr).toContain("MCPKIT_AUTH_TOKEN");
  expect(refused.stderr).not.toContain(TOKEN);

  // Adjusted as the README shows: `-e MCPKIT_AUTH_TOKEN=…` added, nothing else changed.
  const adjusted = entrypointProcess({ ...run, env: { ...run.env, MCPKIT_AUTH_TOKEN: BEARER } });
  const server = await startListening(adjusted.command, adjusted.args, { env: adjusted.env });
  try {
    expect(server.url).toBe("http://0.0.0.0:8000/mcp");
    const local = "http://127.0.0.1:8000/mcp";
    await expect(connectHttp(local)).rejects.toThrow();
    const client = await connectHttp(local, { token: BEARER });
    await whoami(client);
    await client.close();
  } finally {
    expect(await server.stop()).toBe(0);
  }
  expect(server.stderr()).not.toContain(BEARER);
  expect(server.stderr()).not.toContain(TOKEN);
});

seedTest(ex("trueppm.troubleshoot-404"), async () => {
  const s = await connectOriginal("trueppm-mcp", [], { env: env() });
  try {
    const r = await s.client.callTool({ name: "get_project", arguments: { project_id: D.P_HIDDEN } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/HTTP 404/);
  } finally {
    await s.close();
  }
});
