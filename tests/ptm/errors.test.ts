import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PtmRig, startRig, textOf } from "./helpers.ts";

describe("mcpkit ptm relays backend errors as actionable tool errors", () => {
  let rig: PtmRig;
  const outputs: string[] = [];
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await rig.call(name, args);
    outputs.push(JSON.stringify(r));
    return r;
  };

  beforeAll(async () => {
    rig = await startRig({
      env: { PTM_MCP_READ_ONLY: "false", PTM_MCP_TIMEOUT_SECONDS: "1", PTM_MCP_LOG_LEVEL: "DEBUG" },
    });
  });
  afterAll(async () => {
    await rig?.close();
  });

  const failing = async (status: number, body: unknown, headers?: Record<string, string>) => {
    rig.backend.fail({ path: "/prompts/team.summarizer", status, body, headers, times: 1 });
    const r = await call("get_prompt", { prompt_id: "team.summarizer" });
    expect(r.isError).toBe(true);
    return textOf(r);
  };

  it("403, 404, 409 and 422 use the seed's wording", async () => {
    expect(await failing(403, { detail: "nope", code: "forbidden" })).toContain(
      "Permission denied. This operation requires prompt ownership or admin / group-manager role.",
    );
    expect(await failing(404, { detail: "gone", code: "not_found" })).toContain(
      "Prompt or resource not found. Verify prompt_id and PAT visibility.",
    );
    expect(await failing(409, { detail: "busy", code: "conflict" })).toContain(
      "Conflict. Repository-backed prompt (edit the files at source) OR concurrent writer. Re-fetch and retry.",
    );
    const v = await failing(422, {
      detail: "validation error",
      code: "validation_error",
      errors: [{ loc: ["body", "prompt_text"], msg: "too long" }],
    });
    expect(v).toContain(
      "Validation failed. Check prompt_text length (max 500k), test / metric shapes, and field types.",
    );
    expect(v).toContain("body.prompt_text: too long");
  });

  it("401, 429 with Retry-After and other statuses", async () => {
    expect(await failing(401, { detail: "expired", code: "unauthenticated" })).toContain("PTM_API_TOKEN");
    expect(
      await failing(429, { detail: "budget", code: "budget_exceeded" }, { "retry-after": "17" }),
    ).toMatch(/rate limit or agent budget.*retry after 17 seconds/);
  });

  it("5xx: never echoes an HTML body", async () => {
    const text = await failing(502, "<html><body>SECRET-HTML-MARKER upstream</body></html>");
    expect(text).toContain("try again later");
    expect(text).toContain("HTTP 502");
    expect(text).not.toContain("SECRET-HTML-MARKER");
    expect(text).not.toContain("<html");
    const html200 = rig.backend.fail({
      path: "/providers",
      status: 200,
      body: "<html>SECRET-HTML-MARKER</html>",
      times: 1,
    });
    void html200;
    const r = await call("list_providers");
    expect(textOf(r)).not.toContain("SECRET-HTML-MARKER");
  });

  it("backend detail is clipped and stripped of control characters", async () => {
    const long = `evil\u0000\u001b[31mred\u0007 ${"x".repeat(1000)}`;
    const text = await failing(403, { detail: long, code: "forbidden" });
    expect(text).not.toMatch(/[\u0000-\u001f\u007f]/);
    const detail = text.split("Backend detail: ")[1]!;
    expect(detail.length).toBeLessThanOrEqual(300);
    expect(detail.startsWith("evil [31mred")).toBe(true);
  });

  it("a slow backend hits PTM_MCP_TIMEOUT_SECONDS", async () => {
    rig.backend.fail({ path: "/providers", status: 200, body: { items: [] }, delayMs: 1500, times: 1 });
    const r = await call("list_providers");
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/within 1 s.*PTM_MCP_TIMEOUT_SECONDS/);
  });

  it("errors on write routes too: 403 on a share, 404 on a missing run", async () => {
    rig.backend.fail({
      method: "POST",
      path: /\/shares$/,
      status: 403,
      body: { detail: "no", code: "forbidden" },
      times: 1,
    });
    const share = await call("share_prompt", { prompt_id: "team.summarizer", group_id: "grp_platform" });
    expect(textOf(share)).toContain("Permission denied.");
    const run = await call("get_run", { run_key: "run_missing" });
    expect(textOf(run)).toContain("Prompt or resource not found.");
    rig.backend.fail({
      path: "/runs",
      method: "POST",
      status: 503,
      body: { detail: "down", code: "internal" },
      times: 1,
    });
    const down = await call("run_prompt_eval", { prompt_ids: ["team.summarizer"], provider_ids: ["x"] });
    expect(textOf(down)).toContain("try again later");
  });

  it("the token never appears in any result, error or log line", async () => {
    const token = rig.backend.token;
    await failing(403, { detail: `token ${token} lacks scope`, code: "forbidden" });
    await failing(500, { detail: `Authorization: Bearer ${token}`, code: "internal" });
    rig.backend.fail({
      path: "/providers",
      status: 200,
      body: { items: [{ id: token }], total: 1 },
      times: 1,
    });
    await call("list_providers");
    await call("get_prompt", { prompt_id: "team.summarizer" });
    rig.backend.fail({
      path: "/prompts/team.summarizer",
      status: 403,
      body: { detail: `no ${token}` },
      times: 1,
    });
    const resourceError = await rig.session.client
      .readResource({ uri: "ptm://prompts/team.summarizer" })
      .catch((e: Error) => e);
    expect(resourceError).toBeInstanceOf(Error);
    outputs.push(String((resourceError as Error).message));
    expect((resourceError as Error).message).toContain("Permission denied.");
    const all = `${outputs.join("\n")}\n${rig.session.stderr()}`;
    expect(rig.session.stderr()).toContain("debug"); // PTM_MCP_LOG_LEVEL=DEBUG took effect
    expect(all).not.toContain(token);
    expect(all).toContain("[REDACTED]");
  });
});
