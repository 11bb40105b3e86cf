import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakePtm, startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { connectStdio } from "../helpers/mcpkit.ts";
import { INITIALIZE_LINE, ptmEnv, runPtm } from "./helpers.ts";

describe("mcpkit ptm start-up: recovery, signals, scrub and tool subsets", () => {
  let backend: FakePtm;
  beforeAll(async () => {
    backend = await startFakePtm();
  }, 60_000);
  afterAll(async () => {
    await backend?.close();
  }, 60_000);

  it("a slow /healthz that recovers within the backoff starts normally", async () => {
    const slow = await startFakePtm({ healthzFailures: 2 });
    try {
      const s = await connectStdio(["ptm"], { env: ptmEnv(slow) });
      const { tools } = await s.client.listTools();
      expect(tools).toHaveLength(24);
      expect(slow.requests.filter((q) => q.path === "/healthz")).toHaveLength(3);
      expect(slow.requests.map((q) => q.path).slice(3, 5)).toEqual(["/auth/me", "/meta"]);
      expect(s.stderr()).toContain("retrying");
      await s.close();
    } finally {
      await slow.close();
    }
  }, 60_000);

  it("--tools and PTM_MCP_EXCLUDE_TOOLS expose a subset", async () => {
    const s = await connectStdio(["ptm", "--tools", "list_prompts,get_prompt,update_prompt"], {
      env: ptmEnv(backend, { PTM_MCP_EXCLUDE_TOOLS: "update_prompt" }),
    });
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["get_prompt", "list_prompts"]);
    await s.close();
  }, 60_000);

  it("the transport starts only after preflight; SIGINT during preflight exits 130", async () => {
    const sick = await startFakePtm({ neverHealthy: true });
    let sent = false;
    try {
      const r = await runPtm(ptmEnv(sick, { PTM_MCP_PREFLIGHT_BACKOFF_MS: "10000" }), [], {
        input: INITIALIZE_LINE,
        onStderr: (text, kill) => {
          if (!sent && text.includes("retrying")) {
            sent = true;
            kill("SIGINT");
          }
        },
      });
      expect(r.code).toBe(130);
      expect(r.stdout).toBe("");
    } finally {
      await sick.close();
    }
  }, 60_000);

  it("SIGINT while serving exits 130, SIGTERM exits 0", async () => {
    for (const [signal, code] of [
      ["SIGINT", 130],
      ["SIGTERM", 0],
    ] as const) {
      let sent = false;
      const r = await runPtm(ptmEnv(backend), [], {
        input: INITIALIZE_LINE,
        onStdout: (text, kill) => {
          if (!sent && text.includes('"result"')) {
            sent = true;
            kill(signal);
          }
        },
      });
      expect({ signal, code: r.code, died: r.signal, stderr: r.stderr.slice(-500) }).toMatchObject({
        signal,
        code,
      });
    }
  }, 60_000);

  it("scrubs the environment: other credentials are dropped (names logged at debug, values never)", async () => {
    const r = await runPtm(
      ptmEnv(backend, {
        AWS_SECRET_ACCESS_KEY: "aws-secret-value-123",
        GITHUB_TOKEN: "github-token-value-456",
        PTM_MCP_LOG_LEVEL: "DEBUG",
        PTM_API_TOKEN: "ptm_u_wrong0token0value",
      }),
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/environment scrubbed: dropped .*AWS_SECRET_ACCESS_KEY.*GITHUB_TOKEN/);
    expect(r.stderr).not.toContain("aws-secret-value-123");
    expect(r.stderr).not.toContain("github-token-value-456");
  }, 60_000);
});
