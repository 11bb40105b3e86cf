import type { CallToolResult } from "@modelcontextprotocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakePtm, startFakePtm } from "../fixtures/ptm/fake-backend.ts";
import { baseEnv, connectStdio, type StdioSession, waitFor } from "../helpers/mcpkit.ts";
import { INITIALIZE_LINE, ptmEnv, runPtm, textOf } from "./helpers.ts";

const call = (s: StdioSession, name: string, args: Record<string, unknown> = {}) =>
  s.client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

describe("mcpkit ptm start-up: the handshake never waits for the backend", () => {
  let backend: FakePtm;
  beforeAll(async () => {
    backend = await startFakePtm();
  }, 60_000);
  afterAll(async () => {
    await backend?.close();
  }, 60_000);

  it("with nothing listening, initialize and tools/list answer; calls and reads say what failed, warned once", async () => {
    const gone = await startFakePtm();
    const url = gone.url;
    await gone.close();
    const s = await connectStdio(["ptm"], {
      env: baseEnv({ PTM_API_BASE_URL: url, PTM_API_TOKEN: "ptm_u_x1234", PTM_CF_AUTO_DISCOVER: "false" }),
    });
    try {
      expect((await s.client.listTools()).tools).toHaveLength(24);
      for (let i = 0; i < 3; i++) {
        const r = await call(s, "list_providers");
        expect(r.isError).toBe(true);
        expect(textOf(r)).toContain(`PTM /healthz at ${url} is not answering (ECONNREFUSED)`);
        expect(textOf(r)).toContain("check PTM_API_BASE_URL");
      }
      await expect(s.client.readResource({ uri: "ptm://prompts/team.summarizer" })).rejects.toThrow(
        /healthz.*not answering.*PTM_API_BASE_URL/,
      );
      // One warning for the one problem, however often it is hit.
      await waitFor(() => s.stderr().includes("not answering"));
      expect(s.stderr().trim().split("\n"), s.stderr()).toHaveLength(1);
      expect(s.stderr()).toMatch(/^\[ptm\] warn: PTM \/healthz at .* is not answering/);
    } finally {
      await s.close();
    }
  }, 60_000);

  it("a rejected token and an old backend: every call answers with the preflight's message", async () => {
    const old = await startFakePtm({ version: "1.8.9" });
    const wrong = "ptm_u_wrong0token0value";
    const [a, b] = await Promise.all([
      connectStdio(["ptm"], { env: ptmEnv(backend, { PTM_API_TOKEN: wrong }) }),
      connectStdio(["ptm"], { env: ptmEnv(old) }),
    ]);
    try {
      const ra = await call(a, "get_prompt", { prompt_id: "team.summarizer" });
      expect(ra.isError).toBe(true);
      expect(textOf(ra)).toContain("PTM rejected PTM_API_TOKEN (GET /auth/me answered HTTP 401)");
      expect(`${textOf(ra)}${a.stderr()}`).not.toContain(wrong);
      const rb = await call(b, "list_prompts");
      expect(rb.isError).toBe(true);
      expect(textOf(rb)).toContain("older than 1.9.0");
      expect(old.apiRequests()).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close(), old.close()]);
    }
  }, 60_000);

  it("the check is retried until it passes, and a success clears the failure", async () => {
    const flaky = await startFakePtm();
    flaky.fail({ path: "/healthz", status: 503 });
    const s = await connectStdio(["ptm"], { env: ptmEnv(flaky) });
    try {
      const failed = await call(s, "list_providers");
      expect(failed.isError).toBe(true);
      expect(textOf(failed)).toContain("(HTTP 503)");
      const tries = () => flaky.requests.filter((q) => q.path === "/healthz").length;
      const seen = tries();
      // Background retries continue without any call.
      await waitFor(() => tries() > seen + 1);
      flaky.clearFaults();
      const ok = await waitFor(async () => {
        const r = await call(s, "list_providers");
        return r.isError ? undefined : r;
      });
      expect(ok?.structuredContent).toMatchObject({ items: expect.any(Array) });
      expect(flaky.apiRequests().map((q) => q.path)).toContain("/providers");
    } finally {
      await s.close();
      await flaky.close();
    }
  }, 60_000);

  it("initialize is answered while /healthz keeps failing; SIGINT then exits 130", async () => {
    const sick = await startFakePtm({ neverHealthy: true });
    let sent = false;
    try {
      const r = await runPtm(ptmEnv(sick, { PTM_MCP_PREFLIGHT_BACKOFF_MS: "10000" }), [], {
        input: INITIALIZE_LINE,
        onStdout: (text, kill) => {
          if (!sent && text.includes('"result"')) {
            sent = true;
            kill("SIGINT");
          }
        },
      });
      expect(r.code).toBe(130);
      expect(r.stdout).toContain('"serverInfo"');
    } finally {
      await sick.close();
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

  it("a clean start prints nothing on stderr; --log-level info shows the routine lines", async () => {
    const quiet = await connectStdio(["ptm"], { env: ptmEnv(backend) });
    const loud = await connectStdio(["ptm", "--log-level", "info"], { env: ptmEnv(backend) });
    try {
      for (const s of [quiet, loud]) expect((await call(s, "list_providers")).isError).toBeFalsy();
      expect(quiet.stderr()).toBe("");
      await waitFor(() => loud.stderr().includes("ready at"));
      expect(loud.stderr()).toContain("[ptm] info: serving 24 tools");
    } finally {
      await Promise.all([quiet.close(), loud.close()]);
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
      ["check"],
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/environment scrubbed: dropped .*AWS_SECRET_ACCESS_KEY.*GITHUB_TOKEN/);
    expect(r.stderr).not.toContain("aws-secret-value-123");
    expect(r.stderr).not.toContain("github-token-value-456");
  }, 60_000);
});
