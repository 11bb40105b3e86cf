import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PtmRig, startRig, textOf } from "./helpers.ts";

/** Valid arguments for each write tool, so a refusal can only come from the read-only gate. */
const WRITE_CALLS: Record<string, Record<string, unknown>> = {
  run_manual_eval: {
    prompt_text: "Hi {{x}}",
    tests: [{ description: "d", vars: { x: 1 } }],
    provider_profiles: ["p"],
  },
  run_prompt_eval: { prompt_ids: ["team.summarizer"], provider_ids: ["openai_gpt41_mini"] },
  submit_optimization: { prompt_id: "team.summarizer", stability_samples: 2 },
  cancel_optimization: { optimization_id: "opt_running" },
  update_prompt: { prompt_id: "team.summarizer", change_summary: "x", prompt_text: "y" },
  activate_prompt_version: { prompt_id: "team.summarizer", version: 1 },
  share_prompt: { prompt_id: "team.summarizer", group_id: "grp_platform", permission: "view" },
  unshare_prompt: { prompt_id: "team.summarizer", group_id: "grp_platform" },
  add_prompt_to_group: { group_id: "grp_platform", prompt_id: "team.summarizer" },
  remove_prompt_from_group: { group_id: "grp_platform", prompt_id: "team.summarizer" },
  transfer_prompt_ownership: { prompt_id: "team.summarizer", new_owner_id: "u_admin" },
};

describe("mcpkit ptm in its default read-only mode", () => {
  let rig: PtmRig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig?.close();
  });

  it("refuses every write tool at call time, sends nothing, and says how to unlock", async () => {
    const { tools } = await rig.session.client.listTools();
    const writes = tools.filter((t) => !t.annotations?.readOnlyHint).map((t) => t.name);
    expect(writes.sort()).toEqual(Object.keys(WRITE_CALLS).sort());
    for (const name of writes) {
      const r = await rig.call(name, WRITE_CALLS[name]);
      expect(r.isError, name).toBe(true);
      expect(textOf(r)).toContain("PTM_MCP_READ_ONLY=false");
      expect(textOf(r)).toContain("nothing was sent");
    }
    expect(rig.backend.apiRequests()).toEqual([]);
    expect(rig.backend.optimizations.get("opt_running")!.status).toBe("running");
  });

  it("read tools still work", async () => {
    const r = await rig.call("list_providers");
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as { returned: number }).returned).toBe(3);
  });

  it("serves the five resource templates", async () => {
    const { resourceTemplates } = await rig.session.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => [t.uriTemplate, t.mimeType]).sort()).toEqual(
      [
        ["ptm://optimizations/{optimization_id}/report.md", "text/markdown"],
        ["ptm://prompts/{prompt_id}", "text/plain"],
        ["ptm://prompts/{prompt_id}/v{N}", "text/plain"],
        ["ptm://runs/{run_key}/report.html", "text/html"],
        ["ptm://runs/{run_key}/report.md", "text/markdown"],
      ].sort(),
    );
    const read = async (uri: string) => (await rig.session.client.readResource({ uri })).contents[0] as any;
    expect(await read("ptm://prompts/team.summarizer")).toMatchObject({
      mimeType: "text/plain",
      text: "Summarize: {{text}}",
    });
    expect((await read("ptm://prompts/team.summarizer/v1")).text).toBe("Summarize: {{text}}");
    expect(rig.backend.requests.at(-1)!.path).toBe("/prompts/team.summarizer/versions/1");
    const md = await read("ptm://runs/run_done1/report.md");
    expect(md).toMatchObject({ mimeType: "text/markdown" });
    expect(md.text).toContain("# Run run_done1");
    expect(rig.backend.requests.at(-1)!.query.format).toBe("md");
    const html = await read("ptm://runs/run_done1/report.html");
    expect(html).toMatchObject({ mimeType: "text/html" });
    expect(html.text).toContain("<h1>Run run_done1</h1>");
    const opt = await read("ptm://optimizations/opt_done/report.md");
    expect(opt.text).toContain("# Optimization opt_done");
    expect(rig.backend.requests.at(-1)!.path).toBe("/optimizations/opt_done/detail");
  });

  it("refuses unsafe resource segments before any request", async () => {
    const before = rig.backend.requests.length;
    for (const uri of [
      "ptm://prompts/..",
      "ptm://prompts/.",
      "ptm://prompts/a%2Fb",
      "ptm://prompts/a$b",
      "ptm://runs/../report.md",
      "ptm://prompts/team.summarizer/vx",
      "ptm://optimizations/a b/report.md",
    ]) {
      await expect(rig.session.client.readResource({ uri }), uri).rejects.toThrow();
    }
    expect(rig.backend.requests.length).toBe(before);
  });

  it("a missing resource is a resource-not-found error", async () => {
    await expect(rig.session.client.readResource({ uri: "ptm://prompts/no.such" })).rejects.toThrow(
      /not found/i,
    );
  });
});
