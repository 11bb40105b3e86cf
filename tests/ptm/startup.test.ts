import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakePtm, startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { baseEnv } from "../helpers/mcpkit.ts";
import { ptmEnv, runPtm } from "./helpers.ts";

describe("mcpkit ptm start-up: validation, preflight and exit codes", () => {
  let backend: FakePtm;
  beforeAll(async () => {
    backend = await startFakePtm();
  }, 60_000);
  afterAll(async () => {
    await backend?.close();
  }, 60_000);

  it("exit 1 with one line naming a missing or malformed variable, never its value", async () => {
    const missing = await runPtm(baseEnv({ PTM_API_BASE_URL: backend.url }));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toContain("PTM_API_TOKEN is required");

    const cases: [Record<string, string>, string][] = [
      [{ PTM_MCP_TIMEOUT_SECONDS: "0" }, "PTM_MCP_TIMEOUT_SECONDS"],
      [{ PTM_MCP_READ_ONLY: "maybe" }, "PTM_MCP_READ_ONLY"],
      [{ CF_ACCESS_CLIENT_ID: "id-only-value" }, "CF_ACCESS_CLIENT_SECRET"],
    ];
    const results = await Promise.all(cases.map(([extra]) => runPtm(ptmEnv(backend, extra))));
    results.forEach((r, i) => {
      const [extra, name] = cases[i]!;
      expect(r.code, name).toBe(1);
      expect(r.stderr).toContain(name);
      for (const value of Object.values(extra)) expect(r.stderr).not.toContain(`${value} `);
    });
    expect(backend.requests).toEqual([]);
  }, 60_000);

  it("exit 2 when /healthz never becomes healthy (after the backoff), or nothing listens", async () => {
    const sick = await startFakePtm({ neverHealthy: true });
    try {
      const r = await runPtm(ptmEnv(sick));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/healthz.*unreachable/);
      expect(sick.requests.filter((q) => q.path === "/healthz")).toHaveLength(3); // 1 + 2 retries
      expect(sick.requests.some((q) => q.path === "/auth/me")).toBe(false);
    } finally {
      await sick.close();
    }
    const closed = await startFakePtm();
    const url = closed.url;
    await closed.close();
    const r = await runPtm(
      baseEnv({ PTM_API_BASE_URL: url, PTM_API_TOKEN: "ptm_u_x1234", PTM_MCP_PREFLIGHT_BACKOFF_MS: "5" }),
    );
    expect(r.code).toBe(2);
  }, 60_000);

  it("exit 3 when /auth/me rejects the token (and the token is not printed)", async () => {
    const wrong = "ptm_u_wrong0token0value";
    const r = await runPtm(ptmEnv(backend, { PTM_API_TOKEN: wrong }));
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("PTM_API_TOKEN");
    expect(r.stderr).not.toContain(wrong);
  }, 60_000);

  it("exit 4 when /meta reports a version below 1.9.0 or none that parses", async () => {
    for (const version of ["1.8.9", "banana"]) {
      const old = await startFakePtm({ version });
      try {
        const r = await runPtm(ptmEnv(old));
        expect(r.code, version).toBe(4);
        expect(r.stderr).toContain("1.9.0");
      } finally {
        await old.close();
      }
    }
  }, 60_000);

  it("exit 2 on an unknown tool name in --tools or PTM_MCP_EXCLUDE_TOOLS", async () => {
    const [a, b] = await Promise.all([
      runPtm(ptmEnv(backend), ["--tools", "list_prompts,get_promt"]),
      runPtm(ptmEnv(backend, { PTM_MCP_EXCLUDE_TOOLS: "nope_tool" })),
    ]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("'get_promt'");
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("'nope_tool'");
  }, 60_000);
});
