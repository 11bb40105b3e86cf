// How the suite starts each of the five servers: the environment (with the secret canaries), the fake
// backends or mock downstreams it needs, and a cheap call that must always succeed.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { type FakePtm, startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { FakeTrueppm } from "../fixtures/trueppm/fake-backend.ts";
import {
  baseEnv,
  connectHttp,
  connectStdio,
  type HttpProcess,
  ROOT,
  type StdioSession,
  startHttp,
} from "../helpers/mcpkit.ts";
import { CANARY, type CanaryWatch } from "./harness.ts";

export type ServerName = "gateway" | "ptc" | "pty" | "ptm" | "trueppm";
export const SERVERS: ServerName[] = ["gateway", "ptc", "pty", "ptm", "trueppm"];

export const FAULTY = resolve(ROOT, "tests/fixtures/gateway/faulty-server.mjs");
export const MOCK = resolve(ROOT, "tests/fixtures/ptc/mock-server.mjs");
export const FLAKY = resolve(ROOT, "tests/fixtures/upstream/flaky-server.mjs");

export interface Probe {
  tool: string;
  args: Record<string, unknown>;
}

export interface Rig {
  name: ServerName;
  /** The server subcommand and its flags. */
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** A cheap call that must succeed whenever the server is healthy. */
  probe: Probe;
  dir: string;
  ptm?: FakePtm;
  trueppm?: FakeTrueppm;
  close(): Promise<void>;
}

/**
 * A PATH whose first entry shadows every installer (npx, npm, uvx, …) with a stub that fails at once,
 * so no fuzzed provision/register call can reach a package registry: tests talk only to 127.0.0.1.
 */
export function offlinePath(dir: string): string {
  const bin = join(dir, "offline-bin");
  mkdirSync(bin, { recursive: true });
  for (const name of ["npx", "npm", "pnpm", "yarn", "bunx", "uvx", "uv", "pipx", "pip", "docker", "podman"]) {
    const p = join(bin, name);
    writeFileSync(p, "#!/bin/sh\necho 'reliability suite: installers are disabled (offline)' >&2\nexit 1\n");
    chmodSync(p, 0o755);
  }
  return `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`;
}

export interface RigOptions {
  /** Extra env for the server. */
  env?: Record<string, string>;
  /** gateway: extra downstream entries for .mcp.json. */
  downstream?: Record<string, unknown>;
  /** ptc: extra YAML server entries (already indented as list items). */
  ptcServersYaml?: string;
  ptcExecutionYaml?: string;
}

export async function prepare(name: ServerName, opts: RigOptions = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), `mcpkit-rel-${name}-`));
  const cleanup: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of cleanup.reverse()) await c();
  };
  const home = join(dir, "home");
  mkdirSync(home, { recursive: true });
  const common = { HOME: home, PATH: offlinePath(dir), MCPKIT_LOG_LEVEL: "info" };
  switch (name) {
    case "gateway": {
      const cfg = join(dir, "servers.mcp.json");
      writeFileSync(
        cfg,
        JSON.stringify({
          mcpServers: {
            faulty: { command: "node", args: [FAULTY], env: { API_TOKEN: CANARY.downstream } },
            ...opts.downstream,
          },
        }),
      );
      return {
        name,
        args: ["gateway", "--config", cfg, "--project", dir],
        env: baseEnv({
          ...common,
          MCPKIT_CACHE_DIR: join(dir, "cache"),
          XDG_CONFIG_HOME: join(home, ".config"),
          PMCP_REGISTRY_URL: "http://127.0.0.1:9/registry",
          DOWNSTREAM_SECRET: CANARY.downstream,
          ...opts.env,
        }),
        cwd: dir,
        probe: { tool: "gateway_health", args: {} },
        dir,
        close,
      };
    }
    case "ptc": {
      const cfg = join(dir, "config.yaml");
      const mock = `  - name: mock\n    transport: stdio\n    command: node\n    args: [${JSON.stringify(MOCK)}]\n    env:\n      SECRET_PROBE: ${JSON.stringify(CANARY.downstream)}\n`;
      writeFileSync(
        cfg,
        `servers:\n${mock}${opts.ptcServersYaml ?? ""}execution:\n${opts.ptcExecutionYaml ?? "  timeout_seconds: 5\n  tool_call_timeout_seconds: 3\n  memory_limit_mb: 64\n"}`,
      );
      return {
        name,
        args: ["ptc"],
        env: baseEnv({ ...common, PTC_MCP_CONFIG: cfg, ...opts.env }),
        cwd: dir,
        probe: { tool: "list_callable_tools", args: {} },
        dir,
        close,
      };
    }
    case "pty": {
      return {
        name,
        args: ["pty"],
        env: baseEnv({
          ...common,
          PTY_MCP_STATE_DIR: join(dir, "state"),
          PTY_MCP_LOGIN_SHELL: "0",
          PTY_MCP_ENABLE_ADMIN_TOOLS: "1",
          PTY_MCP_ENABLE_CONTROL_TOOLS: "1",
          PTY_MCP_MAX_SESSIONS: "12",
          PTY_MCP_KILL_GRACE_MS: "300",
          ...opts.env,
        }),
        cwd: dir,
        probe: { tool: "pty_list", args: { owner: "probe" } },
        dir,
        close,
      };
    }
    case "ptm": {
      const ptm = await startFakePtm({ token: CANARY.ptmToken });
      cleanup.push(() => ptm.close());
      return {
        name,
        args: ["ptm"],
        env: baseEnv({
          ...common,
          PTM_API_BASE_URL: ptm.url,
          PTM_API_TOKEN: CANARY.ptmToken,
          PTM_MCP_PREFLIGHT_BACKOFF_MS: "10,20",
          PTM_CF_AUTO_DISCOVER: "false",
          CF_ACCESS_CLIENT_ID: "reliability-canary.access",
          CF_ACCESS_CLIENT_SECRET: CANARY.cloudflare,
          PTM_MCP_READ_ONLY: "false",
          PTM_MCP_TIMEOUT_SECONDS: "2",
          ...opts.env,
        }),
        cwd: dir,
        probe: { tool: "list_providers", args: {} },
        dir,
        ptm,
        close,
      };
    }
    case "trueppm": {
      const fake = new FakeTrueppm();
      fake.addToken(CANARY.trueppmToken);
      await fake.start();
      cleanup.push(() => fake.close());
      return {
        name,
        args: ["trueppm"],
        env: baseEnv({
          ...common,
          TRUEPPM_API_URL: fake.origin,
          TRUEPPM_API_TOKEN: CANARY.trueppmToken,
          ...opts.env,
        }),
        cwd: dir,
        probe: { tool: "whoami", args: {} },
        dir,
        trueppm: fake,
        close,
      };
    }
  }
}

/** The rig's server over stdio, its stderr watched for canaries. */
export async function stdio(rig: Rig, watch: CanaryWatch): Promise<StdioSession> {
  const s = await connectStdio(rig.args, { env: rig.env, cwd: rig.cwd });
  watch.stream(s.stderr);
  return s;
}

/** The rig's server over HTTP with the canary bearer token; stderr watched. */
export async function http(rig: Rig, watch: CanaryWatch, extraArgs: string[] = []): Promise<HttpProcess> {
  const p = await startHttp([...rig.args, "--transport", "http", "--port", "0", ...extraArgs], {
    env: { ...rig.env, MCPKIT_AUTH_TOKEN: CANARY.authToken },
    cwd: rig.cwd,
  });
  watch.stream(p.stderr);
  return p;
}

export function httpClient(p: HttpProcess): Promise<Client> {
  return connectHttp(p.url, { token: CANARY.authToken });
}

/** True when the probe call answers without isError. */
export async function probeOk(client: Client, probe: Probe, watch?: CanaryWatch): Promise<boolean> {
  const r = await client.callTool(
    { name: probe.tool, arguments: probe.args },
    {
      timeout: 30_000,
    },
  );
  watch?.seen(r);
  return r.isError !== true;
}
