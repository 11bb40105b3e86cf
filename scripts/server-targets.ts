// How scripts (conformance, bench) start each server: extra flags, environment, working directory,
// any fake backend it needs (ptm and trueppm preflight against their REST API), and a cheap tool
// for round-trip measurements.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakePtm } from "../tests/fixtures/ptm/fake-backend.ts";
import { FakeTrueppm } from "../tests/fixtures/trueppm/fake-backend.ts";

export interface PreparedTarget {
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** A cheap, side-effect-free call for latency measurements. */
  trivialCall: { name: string; arguments: Record<string, unknown> };
  cleanup(): Promise<void>;
}

export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ["PATH", "LANG", "TERM", "USER", "SHELL"]) if (process.env[k]) env[k] = process.env[k]!;
  return { ...env, ...extra };
}

function scratch(): { dir: string; cleanup(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), "mcpkit-target-"));
  return { dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

export const serverTargets: Record<string, () => Promise<PreparedTarget>> = {
  // The foundation tests' echo server (tests/fixtures/echo-server.ts): the conformance reference target.
  async echo() {
    const s = scratch();
    return {
      args: [],
      env: baseEnv({ HOME: s.dir }),
      cwd: s.dir,
      trivialCall: { name: "echo", arguments: { text: "x" } },
      cleanup: s.cleanup,
    };
  },
  async pty() {
    const s = scratch();
    return {
      args: [],
      env: baseEnv({ HOME: s.dir }),
      cwd: s.dir,
      // pty_list needs an owner (without one it answers a tool error, a different, slower path).
      trivialCall: { name: "pty_list", arguments: { owner: "bench" } },
      cleanup: s.cleanup,
    };
  },
  async ptc() {
    const s = scratch();
    return {
      args: [],
      env: baseEnv({ HOME: s.dir, PTC_MCP_CONFIG: join(s.dir, "config.yaml") }),
      cwd: s.dir,
      trivialCall: { name: "list_callable_tools", arguments: {} },
      cleanup: s.cleanup,
    };
  },
  async gateway() {
    const s = scratch();
    return {
      args: [],
      env: baseEnv({
        HOME: s.dir,
        XDG_CACHE_HOME: join(s.dir, "cache"),
        XDG_CONFIG_HOME: join(s.dir, "config"),
      }),
      cwd: s.dir,
      trivialCall: { name: "gateway_health", arguments: {} },
      cleanup: s.cleanup,
    };
  },
  // The two REST connectors preflight against their API before serving: each gets its fake backend
  // (the same one the tests use), on 127.0.0.1, for the life of the target.
  async ptm() {
    const s = scratch();
    const backend = await startFakePtm();
    return {
      args: [],
      env: baseEnv({
        HOME: s.dir,
        PTM_API_BASE_URL: backend.url,
        PTM_API_TOKEN: backend.token,
        PTM_CF_AUTO_DISCOVER: "false",
      }),
      cwd: s.dir,
      trivialCall: { name: "list_providers", arguments: {} },
      cleanup: async () => {
        await backend.close();
        await s.cleanup();
      },
    };
  },
  async trueppm() {
    const s = scratch();
    const token = `tppm_${"0".repeat(63)}1`;
    const backend = await new FakeTrueppm().addToken(token).start();
    return {
      args: [],
      env: baseEnv({ HOME: s.dir, TRUEPPM_API_URL: backend.origin, TRUEPPM_API_TOKEN: token }),
      cwd: s.dir,
      trivialCall: { name: "whoami", arguments: {} },
      cleanup: async () => {
        await backend.close();
        await s.cleanup();
      },
    };
  },
};
