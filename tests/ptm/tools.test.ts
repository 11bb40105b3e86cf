import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/mcpkit.ts";
import { type PtmRig, startRig, textOf } from "./helpers.ts";

const READ_TOOLS = [
  "list_providers",
  "list_prompts",
  "get_prompt",
  "get_prompt_tests",
  "list_prompt_versions",
  "get_prompt_version",
  "compare_prompt_versions",
  "list_runs",
  "get_run",
  "get_run_report",
  "get_optimization_status",
  "get_optimization_history",
  "get_optimization_detail",
];
const WRITE_TOOLS = [
  "run_manual_eval",
  "run_prompt_eval",
  "submit_optimization",
  "cancel_optimization",
  "update_prompt",
  "activate_prompt_version",
  "share_prompt",
  "unshare_prompt",
  "add_prompt_to_group",
  "remove_prompt_from_group",
  "transfer_prompt_ownership",
];
const DESTRUCTIVE = [
  "cancel_optimization",
  "unshare_prompt",
  "remove_prompt_from_group",
  "transfer_prompt_ownership",
];

describe("mcpkit ptm with writes enabled, through the real server", () => {
  let rig: PtmRig;
  beforeAll(async () => {
    rig = await startRig({ env: { PTM_MCP_READ_ONLY: "false" } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  const structured = async (name: string, args: Record<string, unknown> = {}) => {
    const r = await rig.call(name, args);
    expect(r.isError, `${name}: ${textOf(r)}`).toBeFalsy();
    return r.structuredContent as Record<string, any>;
  };
  const lastRequest = () => rig.backend.requests.at(-1)!;

  it("lists the 24 tools with titles, every annotation explicit, and output schemas", async () => {
    const { tools } = await rig.session.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...READ_TOOLS, ...WRITE_TOOLS].sort());
    for (const t of tools) {
      expect(t.title, t.name).toBeTruthy();
      expect(t.outputSchema, t.name).toBeDefined();
      const a = t.annotations!;
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const)
        expect(typeof a[hint], `${t.name}.${hint}`).toBe("boolean");
      expect(a.readOnlyHint, t.name).toBe(READ_TOOLS.includes(t.name));
      expect(a.destructiveHint, t.name).toBe(DESTRUCTIVE.includes(t.name));
    }
  });

  it("submit_optimization and update_prompt publish every contract field", async () => {
    const { tools } = await rig.session.client.listTools();
    const props = (n: string) =>
      Object.keys((tools.find((t) => t.name === n)!.inputSchema.properties ?? {}) as object);
    expect(props("submit_optimization")).toEqual(
      expect.arrayContaining([
        "prompt_id",
        "provider_id",
        "target_score",
        "max_iterations",
        "stability_samples",
        "validation_samples",
        "flakiness_threshold",
        "min_consistent_improvement",
        "variance_aware_mutator",
        "variance_signal",
        "enforce_target_score",
      ]),
    );
    expect(props("update_prompt")).toEqual(
      expect.arrayContaining([
        "prompt_id",
        "change_summary",
        "prompt_text",
        "tests",
        "deepeval_metrics",
        "kpis",
        "provider_profiles",
        "judge_profile",
        "description",
        "tags",
        "team",
        "service",
      ]),
    );
    const submit = tools.find((t) => t.name === "submit_optimization")!.inputSchema as any;
    expect(submit.properties.stability_samples).toMatchObject({ minimum: 1, maximum: 10 });
    expect(submit.properties.flakiness_threshold).toMatchObject({ minimum: 0, maximum: 1 });
    expect(submit.properties.min_consistent_improvement).toMatchObject({ minimum: 0, maximum: 100 });
    expect(submit.properties.variance_signal.enum).toEqual(["levenshtein", "embedding", "both"]);
  });

  it("every request carries the client, session, user-agent and bearer headers", async () => {
    await structured("list_providers");
    const sessions = new Set(rig.backend.requests.map((r) => r.headers["x-ptm-mcp-session"]));
    expect(sessions.size).toBe(1);
    const [session] = [...sessions];
    expect(session).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const r of rig.backend.requests) {
      expect(r.headers["x-ptm-client"]).toMatch(/^ptm-mcp\/\d+\.\d+\.\d+/);
      expect(r.headers["user-agent"]).toBe(r.headers["x-ptm-client"]);
    }
    const api = rig.backend.apiRequests().at(-1)!;
    expect(api.headers.authorization).toBe(`Bearer ${rig.backend.token}`);
    expect(api.headers["idempotency-key"]).toBeUndefined();
  });

  it("read tools: providers, prompts, tests, versions, runs, optimizations", async () => {
    const providers = await structured("list_providers");
    expect(providers.items.map((p: any) => p.id)).toContain("openai_gpt41_mini");
    expect(providers).toMatchObject({ total: 3, returned: 3, truncated: false, offset: 0 });

    const prompts = await structured("list_prompts", { team: "team", source: "manual" });
    expect(prompts.items.map((p: any) => p.id)).toEqual(["team.summarizer"]);
    expect(lastRequest().query).toMatchObject({ team: "team", source: "manual" });

    const prompt = await structured("get_prompt", { prompt_id: "team.summarizer" });
    expect(prompt).toMatchObject({ id: "team.summarizer", prompt_text: "Summarize: {{text}}" });

    const tests = await structured("get_prompt_tests", { prompt_id: "team.summarizer" });
    expect(tests.tests[0]).toMatchObject({ id: "t1", description: "smoke" });

    const versions = await structured("list_prompt_versions", { prompt_id: "team.summarizer" });
    expect(versions.items[0]).toMatchObject({ version: 1, is_active: true });
    const v1 = await structured("get_prompt_version", { prompt_id: "team.summarizer", version: 1 });
    expect(v1).toMatchObject({ version: 1, prompt_text: "Summarize: {{text}}" });

    const runs = await structured("list_runs", { status: "completed" });
    expect(runs.items.map((r: any) => r.run_key)).toContain("run_done1");
    expect(lastRequest().query.status).toBe("completed");
    expect(await structured("get_run", { run_key: "run_done1" })).toMatchObject({ status: "completed" });
    const report = await structured("get_run_report", { run_key: "run_done1" });
    expect(report.results[0]).toMatchObject({ prompt_id: "team.summarizer", pass: true });
    expect(lastRequest().query.format).toBe("json");
    const md = await structured("get_run_report", { run_key: "run_done1", format: "md" });
    expect(md).toMatchObject({ format: "md", content_type: "text/markdown" });
    expect(md.content).toContain("# Run run_done1");
    const html = await structured("get_run_report", { run_key: "run_done1", format: "html" });
    expect(html.content).toContain("<h1>Run run_done1</h1>");

    expect(await structured("get_optimization_status", { optimization_id: "opt_running" })).toMatchObject({
      status: "running",
    });
    const history = await structured("get_optimization_history", { prompt_id: "team.summarizer" });
    expect(history.items.map((o: any) => o.optimization_id)).toEqual(
      expect.arrayContaining(["opt_running", "opt_done"]),
    );
    const detail = await structured("get_optimization_detail", { optimization_id: "opt_done" });
    expect(detail).toMatchObject({ baseline_score: 0.81, best_candidate: { score: 0.97 } });
    const detailMd = await structured("get_optimization_detail", {
      optimization_id: "opt_done",
      format: "md",
    });
    expect(detailMd.content).toContain("# Optimization opt_done");
  });

  it("list tools page through results with a row cap and say when they truncated", async () => {
    const first = await structured("list_prompts", { limit: 5 });
    expect(first).toMatchObject({ returned: 5, total: 12, truncated: true, next_offset: 5 });
    const rest = await structured("list_prompts", { offset: 5, limit: 100 });
    expect(rest).toMatchObject({ returned: 7, total: 12, truncated: false, offset: 5 });
    expect(rest.next_offset).toBeUndefined();
  });

  it("page walks report progress when the client sends a progress token", async () => {
    // Our own handler: the SDK's built-in onprogress drops a notification that lands in the same chunk
    // as the response (it forgets the token before the notification handler runs).
    const seen: unknown[] = [];
    rig.session.client.setNotificationHandler("notifications/progress", (n) => {
      seen.push(n.params);
    });
    const r = await rig.session.client.callTool({
      name: "list_prompts",
      arguments: { limit: 4 },
      _meta: { progressToken: "walk-1" },
    });
    expect(r.isError).toBeFalsy();
    await waitFor(() => seen.length > 0);
    expect(seen).toEqual([{ progressToken: "walk-1", progress: 4, total: 4 }]);
  });

  it("runs progress from queued to completed and then have a report", async () => {
    const started = await structured("run_prompt_eval", {
      prompt_ids: ["team.summarizer"],
      provider_ids: ["openai_gpt41_mini", "anthropic_claude_haiku"],
    });
    expect(started.status).toBe("queued");
    const post = lastRequest();
    expect(post).toMatchObject({ method: "POST", path: "/runs" });
    expect(post.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(post.body).toEqual({
      prompt_ids: ["team.summarizer"],
      provider_ids: ["openai_gpt41_mini", "anthropic_claude_haiku"],
    });

    const early = await rig.call("get_run_report", { run_key: started.run_key });
    expect(early.isError).toBe(true);
    expect(textOf(early)).toContain("Conflict.");
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push((await structured("get_run", { run_key: started.run_key })).status);
    expect(seen).toEqual(["queued", "running", "completed"]);
    const report = await structured("get_run_report", { run_key: started.run_key });
    expect(report.results).toHaveLength(2);

    const manual = await structured("run_manual_eval", {
      prompt_text: "Summarize: {{text}}",
      tests: [{ description: "smoke", vars: { text: "hello" } }],
      provider_profiles: ["openai_gpt41_mini"],
      visibility_scope: "org_visible",
    });
    expect(manual.status).toBe("queued");
    expect(lastRequest()).toMatchObject({ method: "POST", path: "/runs/manual" });
  });

  it("submit_optimization sends only the fields given; cancel works once, then conflicts", async () => {
    const sub = await structured("submit_optimization", {
      prompt_id: "team.summarizer",
      stability_samples: 3,
      flakiness_threshold: 0.2,
      variance_signal: "both",
      enforce_target_score: false,
    });
    expect(lastRequest().body).toEqual({
      stability_samples: 3,
      flakiness_threshold: 0.2,
      variance_signal: "both",
      enforce_target_score: false,
    });
    const out = rig.backend.optimizations.get(sub.optimization_id)!;
    expect(out.settings.variance_signal).toBe("both");

    expect(await structured("cancel_optimization", { optimization_id: sub.optimization_id })).toMatchObject({
      status: "cancelled",
    });
    const again = await rig.call("cancel_optimization", { optimization_id: sub.optimization_id });
    expect(again.isError).toBe(true);
    expect(textOf(again)).toContain("Conflict.");
  });

  it("rejects out-of-range optimization settings before any request", async () => {
    const before = rig.backend.requests.length;
    for (const bad of [
      { stability_samples: 11 },
      { flakiness_threshold: 1.5 },
      { min_consistent_improvement: 101 },
    ]) {
      const r = await rig
        .call("submit_optimization", { prompt_id: "team.summarizer", ...bad })
        .catch((e) => e);
      expect(r instanceof Error ? r.message : textOf(r)).toMatch(/invalid|too big|<=|maximum/i);
    }
    expect(rig.backend.requests.length).toBe(before);
  });

  it("update_prompt: omitted/null unchanged, [] clears, a list replaces; content changes make a version", async () => {
    const res = await structured("update_prompt", {
      prompt_id: "team.summarizer",
      change_summary: "tighten wording",
      prompt_text: "Summarize in one line: {{text}}",
      tags: [],
      kpis: null,
      provider_profiles: ["openai_gpt41_mini", "anthropic_claude_haiku"],
    });
    expect(res).toMatchObject({ prompt_id: "team.summarizer", version: 2, created_version: true });
    const patch = lastRequest();
    expect(patch.method).toBe("PATCH");
    expect(patch.body).toEqual({
      change_summary: "tighten wording",
      prompt_text: "Summarize in one line: {{text}}",
      tags: [],
      provider_profiles: ["openai_gpt41_mini", "anthropic_claude_haiku"],
    });
    expect(patch.headers["idempotency-key"]).toBeTruthy();
    const p = await structured("get_prompt", { prompt_id: "team.summarizer" });
    expect(p.tags).toEqual([]);
    expect(p.kpis).toEqual([]);

    const meta = await structured("update_prompt", {
      prompt_id: "team.summarizer",
      change_summary: "describe",
      description: "new words",
    });
    expect(meta.created_version).toBe(false);

    const cmp = await structured("compare_prompt_versions", {
      prompt_id: "team.summarizer",
      from_version: 1,
      to_version: 2,
    });
    expect(lastRequest().query).toMatchObject({ from: "1", to: "2" });
    expect(cmp.changed_fields).toEqual(expect.arrayContaining(["prompt_text", "provider_profiles"]));

    expect(
      await structured("activate_prompt_version", { prompt_id: "team.summarizer", version: 1 }),
    ).toMatchObject({ active_version: 1 });
    expect(lastRequest()).toMatchObject({
      method: "PUT",
      path: "/prompts/team.summarizer/versions/1/activate",
    });
  });

  it("update_prompt on a repository-backed prompt relays the 409 hint", async () => {
    const r = await rig.call("update_prompt", {
      prompt_id: "team.classifier",
      change_summary: "x",
      prompt_text: "y",
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain(
      "Conflict. Repository-backed prompt (edit the files at source) OR concurrent writer. Re-fetch and retry.",
    );
  });

  it("sharing, groups and ownership", async () => {
    expect(
      await structured("share_prompt", {
        prompt_id: "bulk.p01",
        group_id: "grp_platform",
        permission: "edit",
      }),
    ).toMatchObject({ group_id: "grp_platform", permission: "edit" });
    expect(lastRequest().body).toEqual({ group_id: "grp_platform", permission: "edit" });
    expect(
      await structured("unshare_prompt", { prompt_id: "bulk.p01", group_id: "grp_platform" }),
    ).toMatchObject({
      ok: true,
    });
    expect(lastRequest()).toMatchObject({ method: "DELETE", path: "/prompts/bulk.p01/shares/grp_platform" });

    expect(
      await structured("add_prompt_to_group", { group_id: "grp_research", prompt_id: "bulk.p02" }),
    ).toEqual({
      group_id: "grp_research",
      prompt_id: "bulk.p02",
    });
    expect(lastRequest().body).toEqual({ prompt_id: "bulk.p02" });
    const inGroup = await structured("list_prompts", { group: "grp_research" });
    expect(inGroup.items.map((p: any) => p.id)).toEqual(["bulk.p02"]);
    await structured("remove_prompt_from_group", { group_id: "grp_research", prompt_id: "bulk.p02" });
    expect(lastRequest()).toMatchObject({ method: "DELETE", path: "/groups/grp_research/prompts/bulk.p02" });

    const moved = await structured("transfer_prompt_ownership", {
      prompt_id: "bulk.p03",
      new_owner_id: "u_admin",
    });
    expect(moved.owner.id).toBe("u_admin");
    const self = await rig.call("transfer_prompt_ownership", {
      prompt_id: "bulk.p03",
      new_owner_id: "u_admin",
    });
    expect(textOf(self)).toContain("Validation failed.");
    expect(textOf(self)).toContain("body.new_owner_id: already the owner");

    rig.backend.identity.roles = ["viewer"];
    try {
      const denied = await rig.call("transfer_prompt_ownership", {
        prompt_id: "bulk.p04",
        new_owner_id: "u_admin",
      });
      expect(textOf(denied)).toContain(
        "Permission denied. This operation requires prompt ownership or admin / group-manager role.",
      );
    } finally {
      rig.backend.identity.roles = ["admin"];
    }
  });

  it("ids outside the allow-list are refused before any request", async () => {
    const before = rig.backend.requests.length;
    for (const bad of ["..", ".", "a/b", "x?y", "%2e%2e"]) {
      const r = await rig.call("get_prompt", { prompt_id: bad }).catch((e: Error) => e);
      const text = r instanceof Error ? r.message : textOf(r);
      expect(text, bad).toMatch(/letters, digits/);
    }
    expect(rig.backend.requests.length).toBe(before);
  });

  it("unknown arguments are rejected", async () => {
    const r = await rig.call("get_prompt", { prompt_id: "team.summarizer", extra: 1 }).catch((e: Error) => e);
    expect(r instanceof Error ? r.message : textOf(r)).toMatch(/unrecognized|extra/i);
  });
});
