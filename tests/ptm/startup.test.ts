import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakePtm, startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { baseEnv, ROOT } from "../helpers/mcpkit.ts";
import { ptmEnv, runPtm } from "./helpers.ts";

/** A URL on 127.0.0.1 where nothing listens. */
async function closedPortUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

/** Runs `node <link> <args…>` to its exit, the link standing in for the original's executable name. */
function runLink(link: string, args: string[], env: Record<string, string>): Promise<number | null> {
  const child = spawn("node", [link, ...args], { env, stdio: ["ignore", "ignore", "ignore"] });
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("mcpkit ptm: configuration errors, and `ptm check` with the original's exit codes", () => {
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
      // A client that did not expand the reference setup wrote: say so, not "token rejected" later.
      [{ PTM_API_TOKEN: "$" + "{PTM_API_TOKEN}" }, "PTM_API_TOKEN is the unexpanded reference"],
    ];
    const results = await Promise.all([
      ...cases.map(([extra]) => runPtm(ptmEnv(backend, extra))),
      runPtm(baseEnv({ PTM_API_BASE_URL: backend.url }), ["check"]),
    ]);
    results.slice(0, cases.length).forEach((r, i) => {
      const [extra, name] = cases[i]!;
      expect(r.code, name).toBe(1);
      expect(r.stderr).toContain(name);
      for (const value of Object.values(extra)) expect(r.stderr).not.toContain(`${value} `);
    });
    expect(results.at(-1)!.code).toBe(1);
    expect(results.at(-1)!.stderr).toContain("PTM_API_TOKEN is required");
    expect(backend.requests).toEqual([]);
  }, 60_000);

  it("check: exit 0 and one line on stdout when the backend is healthy, accepts the token and is new enough", async () => {
    const before = backend.requests.length;
    const r = await runPtm(ptmEnv(backend), ["check"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PTM 1\.10\.2 at http:\/\/127\.0\.0\.1:\d+: healthy, token accepted/);
    expect(r.stderr).toBe("");
    expect(backend.requests.slice(before).map((q) => q.path)).toEqual(["/healthz", "/auth/me", "/meta"]);
  }, 60_000);

  it("check: exit 2 when /healthz never becomes healthy (after the backoff), or nothing listens", async () => {
    const sick = await startFakePtm({ neverHealthy: true });
    try {
      const r = await runPtm(ptmEnv(sick), ["check"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/healthz.*unreachable/);
      expect(sick.requests.filter((q) => q.path === "/healthz")).toHaveLength(3); // 1 + 2 retries
      expect(sick.requests.some((q) => q.path === "/auth/me")).toBe(false);
    } finally {
      await sick.close();
    }
    const r = await runPtm(
      baseEnv({
        PTM_API_BASE_URL: await closedPortUrl(),
        PTM_API_TOKEN: "ptm_u_x1234",
        PTM_MCP_PREFLIGHT_BACKOFF_MS: "5",
      }),
      ["check"],
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("ECONNREFUSED");
  }, 60_000);

  it("check: exit 3 when /auth/me rejects the token (and the token is not printed)", async () => {
    const wrong = "ptm_u_wrong0token0value";
    const r = await runPtm(ptmEnv(backend, { PTM_API_TOKEN: wrong }), ["check"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("PTM_API_TOKEN");
    expect(r.stderr).not.toContain(wrong);
  }, 60_000);

  it("check: exit 4 when /meta reports a version below 1.9.0 or none that parses", async () => {
    for (const version of ["1.8.9", "banana"]) {
      const old = await startFakePtm({ version });
      try {
        const r = await runPtm(ptmEnv(old), ["check"]);
        expect(r.code, version).toBe(4);
        expect(r.stderr).toContain("1.9.0");
      } finally {
        await old.close();
      }
    }
  }, 60_000);

  it("check answers to the original's name: `ptm-mcp check`", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ptm-link-"));
    try {
      const link = join(dir, "ptm-mcp");
      symlinkSync(join(ROOT, "dist/mcpkit.mjs"), link);
      const env = ptmEnv(backend, { PTM_API_TOKEN: "ptm_u_wrong0token0value" });
      expect(await runLink(link, ["check"], env)).toBe(3);
      expect(await runLink(link, ["check"], ptmEnv(backend))).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("a port fetch refuses is named as the cause, at once (check exits 2 without retrying)", async () => {
    const r = await runPtm(
      baseEnv({ PTM_API_BASE_URL: "http://127.0.0.1:6000", PTM_API_TOKEN: "ptm_u_x1234" }),
      ["check"],
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("PTM_API_BASE_URL uses port 6000, which fetch refuses to connect to");
    expect(r.stderr).not.toContain("retrying");
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
