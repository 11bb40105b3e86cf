#!/usr/bin/env bun
// `bun scripts/bench/oauth.ts [requests]`: what OAuth costs per request. One `mcpkit pty -t http` per mode
// (no auth, static token, JWT checked against a cached JWKS, opaque token through introspection) in front
// of a real OpenID provider on 127.0.0.1; the same initialize POST is sent sequentially and timed.
// Medians and p95 in ms; no thresholds (numbers are for docs/oauth.md, not for tests).
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { CLIENTS, makeKey, startProvider } from "../../tests/oauth/provider.ts";

const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");
const N = Number(process.argv[2] ?? 300);
const STATIC = "bench-static-token-0123456789";

async function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn("node", [resolve(ROOT, "dist/mcpkit.mjs"), "pty", "-t", "http", "-p", "0", ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  const url = await new Promise<string>((res, rej) => {
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) res(m[1]!);
    });
    child.once("exit", () => rej(new Error(err)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

const body = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
});

async function measure(url: string, token?: string): Promise<{ p50: number; p95: number }> {
  const send = async () => {
    const res = await fetch(url, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    await res.text();
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  };
  for (let i = 0; i < 20; i++) await send();
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await send();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(N / 2)]!, p95: times[Math.floor(N * 0.95)]! };
}

const jwtIdp = await startProvider({ keys: [await makeKey("bench")] });
const opaqueIdp = await startProvider({ keys: [await makeKey("bench2")], format: "opaque" });
const rows: Array<[string, { p50: number; p95: number }]> = [];
try {
  const none = await start([]);
  rows.push(["no auth", await measure(none.url)]);
  none.stop();
  const fixed = await start(["--auth-token", STATIC]);
  rows.push(["static token", await measure(fixed.url, STATIC)]);
  fixed.stop();
  const jwt = await start(["--oauth-issuer", jwtIdp.issuer]);
  rows.push([
    "OAuth JWT (cached JWKS)",
    await measure(jwt.url, await jwtIdp.clientCredentials(CLIENTS.machine, jwt.url)),
  ]);
  jwt.stop();
  const opaque = await start(["--oauth-issuer", opaqueIdp.issuer], {
    MCPKIT_OAUTH_CLIENT_ID: CLIENTS.introspector.id,
    MCPKIT_OAUTH_CLIENT_SECRET: CLIENTS.introspector.secret,
  });
  const token = await opaqueIdp.clientCredentials(CLIENTS.machine, opaque.url);
  rows.push(["OAuth opaque (introspection, cached 30 s)", await measure(opaque.url, token)]);
  opaque.stop();
} finally {
  await jwtIdp.close();
  await opaqueIdp.close();
}
process.stdout.write(`initialize over Streamable HTTP, ${N} sequential requests per mode\n\n`);
process.stdout.write("| mode | p50 ms | p95 ms |\n|---|---|---|\n");
for (const [mode, r] of rows)
  process.stdout.write(`| ${mode} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} |\n`);
process.exit(0);
