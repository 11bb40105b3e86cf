import { z } from "zod";
import type { RestToolRow } from "../../core/rest-tools/rest-row.ts";
import {
  evalTest,
  groupId,
  listResult,
  optimizationId,
  paging,
  promptId,
  promptTest,
  queued,
  replaceableList,
  row,
  runKey,
  version,
} from "./schemas.ts";

/**
 * The whole tool surface as data: one row per tool with its REST call, input and output schemas and
 * read/write class. `tools.ts` turns the rows into tool definitions with the shared REST-tool factory;
 * annotations, the read-only gate and the --tools filter all derive from this table.
 */
export type ToolSpec = RestToolRow;

const strict = <S extends z.ZodRawShape>(shape: S) => z.object(shape).strict();

const prompt = z.looseObject({ id: z.string().optional(), name: z.string().optional() });
const optimizationStatus = z.looseObject({
  optimization_id: z.string().optional(),
  prompt_id: z.string().optional(),
  status: z.string().optional(),
  progress: z.number().optional(),
});
const deleted = z.looseObject({ ok: z.boolean() });

export const TOOLS: readonly ToolSpec[] = [
  // ---- read ----
  {
    name: "list_providers",
    title: "List LLM providers",
    description:
      "Lists the LLM provider profiles PTM can evaluate against (id, vendor, model, enabled). The cheapest call: use it to check that the connection works.",
    kind: "read",
    method: "GET",
    path: "/providers",
    input: strict({ ...paging }),
    output: listResult,
    paged: true,
  },
  {
    name: "list_prompts",
    title: "List prompts",
    description:
      "Lists prompts visible to the token, optionally filtered by tag, team, service, source (repo or manual), group or a search string.",
    kind: "read",
    method: "GET",
    path: "/prompts",
    input: strict({
      tag: z.string().optional().describe("Only prompts with this tag"),
      team: z.string().optional().describe("Only prompts owned by this team"),
      service: z.string().optional().describe("Only prompts of this service"),
      source: z.enum(["repo", "manual"]).optional().describe("repo = backed by files in a repository"),
      search: z.string().optional().describe("Free-text search over names and descriptions"),
      group: z.string().optional().describe("Only prompts in this group"),
      ...paging,
    }),
    output: listResult,
    paged: true,
  },
  {
    name: "get_prompt",
    title: "Get a prompt",
    description:
      "Fetches one prompt with its active content: prompt_text, tests, deepeval_metrics, kpis, provider_profiles, judge_profile, visibility and shares.",
    kind: "read",
    method: "GET",
    path: "/prompts/{prompt_id}",
    input: strict({ prompt_id: promptId }),
    output: prompt,
  },
  {
    name: "get_prompt_tests",
    title: "Get a prompt's tests",
    description: "Fetches the test cases of a prompt (description, template vars, assertions).",
    kind: "read",
    method: "GET",
    path: "/prompts/{prompt_id}/tests",
    input: strict({ prompt_id: promptId }),
    output: z.looseObject({ prompt_id: z.string().optional(), tests: z.array(row) }),
  },
  {
    name: "list_prompt_versions",
    title: "List prompt versions",
    description:
      "Lists the saved versions of a prompt, newest first, with author, change summary and which one is active.",
    kind: "read",
    method: "GET",
    path: "/prompts/{prompt_id}/versions",
    input: strict({ prompt_id: promptId, ...paging }),
    output: listResult,
    paged: true,
  },
  {
    name: "get_prompt_version",
    title: "Get a prompt version",
    description: "Fetches one version of a prompt, including its content fields.",
    kind: "read",
    method: "GET",
    path: "/prompts/{prompt_id}/versions/{version}",
    input: strict({ prompt_id: promptId, version }),
    output: z.looseObject({ version: z.number().optional() }),
  },
  {
    name: "compare_prompt_versions",
    title: "Compare two prompt versions",
    description: "Shows a unified diff between two versions of a prompt and which fields changed.",
    kind: "read",
    method: "GET",
    path: "/prompts/{prompt_id}/versions/compare",
    input: strict({
      prompt_id: promptId,
      from_version: version.describe("The older version"),
      to_version: version.describe("The newer version"),
    }),
    output: z.looseObject({ diff: z.string().optional(), changed_fields: z.array(z.string()).optional() }),
    rename: { from_version: "from", to_version: "to" },
  },
  {
    name: "list_runs",
    title: "List evaluation runs",
    description:
      "Lists evaluation runs, optionally for one prompt or in one status, with pass/fail summaries.",
    kind: "read",
    method: "GET",
    path: "/runs",
    input: strict({
      prompt_id: promptId.optional(),
      status: z.enum(["queued", "running", "completed", "failed", "cancelled"]).optional(),
      ...paging,
    }),
    output: listResult,
    paged: true,
  },
  {
    name: "get_run",
    title: "Get an evaluation run",
    description:
      "Fetches one run: status, prompts and providers involved, summary and errors. Poll it until completed.",
    kind: "read",
    method: "GET",
    path: "/runs/{run_key}",
    input: strict({ run_key: runKey }),
    output: z.looseObject({ run_key: z.string().optional(), status: z.string().optional() }),
  },
  {
    name: "get_run_report",
    title: "Get a run report",
    description:
      "Fetches the results of a completed run: per test and provider, pass/fail, score, output and latency. format=json (default) for data, md or html for a rendered report.",
    kind: "read",
    method: "GET",
    path: "/runs/{run_key}/report",
    input: strict({
      run_key: runKey,
      format: z.enum(["json", "md", "html"]).default("json").describe("json (default), md or html"),
    }),
    output: z.looseObject({ run_key: z.string().optional() }),
    textFormats: ["md", "html"],
  },
  {
    name: "get_optimization_status",
    title: "Get optimization status",
    description: "Fetches the status and progress (0..1) of a prompt optimization.",
    kind: "read",
    method: "GET",
    path: "/optimizations/{optimization_id}",
    input: strict({ optimization_id: optimizationId }),
    output: optimizationStatus,
  },
  {
    name: "get_optimization_history",
    title: "List a prompt's optimizations",
    description: "Lists the optimizations submitted for a prompt with their status.",
    kind: "read",
    method: "GET",
    path: "/prompts/{prompt_id}/optimizations",
    input: strict({ prompt_id: promptId, ...paging }),
    output: listResult,
    paged: true,
  },
  {
    name: "get_optimization_detail",
    title: "Get optimization detail",
    description:
      "Fetches an optimization's iterations (candidate version, score, stability), best candidate and baseline score. format=md for a markdown summary.",
    kind: "read",
    method: "GET",
    path: "/optimizations/{optimization_id}/detail",
    input: strict({
      optimization_id: optimizationId,
      format: z.enum(["json", "md"]).default("json").describe("json (default) or md"),
    }),
    output: optimizationStatus,
    textFormats: ["md"],
  },
  // ---- write: evals and optimizations ----
  {
    name: "run_manual_eval",
    title: "Run an ad-hoc evaluation",
    description:
      "Evaluates a prompt text that is not (yet) in the library against the given tests and providers. Returns a run_key to poll with get_run.",
    kind: "write",
    method: "POST",
    path: "/runs/manual",
    input: strict({
      prompt_text: z.string().min(1).describe("The prompt; template variables use {{name}}"),
      tests: z.array(evalTest).min(1).describe("Test cases: description and vars"),
      provider_profiles: z.array(z.string().min(1)).min(1).describe("Provider ids, e.g. openai_gpt41_mini"),
      visibility_scope: z.string().optional().describe("Who may see the run, e.g. org_visible"),
    }),
    output: queued("run_key"),
    idempotent: false,
    openWorld: true,
  },
  {
    name: "run_prompt_eval",
    title: "Evaluate library prompts",
    description:
      "Runs the stored tests of one or more library prompts against one or more providers. Returns a run_key to poll with get_run.",
    kind: "write",
    method: "POST",
    path: "/runs",
    input: strict({
      prompt_ids: z.array(promptId).min(1).describe("Prompts to evaluate"),
      provider_ids: z.array(z.string().min(1)).min(1).describe("Providers to evaluate them on"),
    }),
    output: queued("run_key"),
    idempotent: false,
    openWorld: true,
  },
  {
    name: "submit_optimization",
    title: "Submit a prompt optimization",
    description:
      "Starts an automatic optimization of a prompt. Every setting is optional; an omitted one inherits the server's admin-configured default. Poll with get_optimization_status.",
    kind: "write",
    method: "POST",
    path: "/prompts/{prompt_id}/optimizations",
    input: strict({
      prompt_id: promptId,
      provider_id: z.string().min(1).optional().describe("Provider to optimize for"),
      target_score: z.number().min(0).optional().describe("Score at which to stop"),
      max_iterations: z.number().int().min(1).max(1000).optional().describe("Most candidate rounds"),
      stability_samples: z.number().int().min(1).max(10).optional().describe("Repeats per candidate (1-10)"),
      validation_samples: z
        .number()
        .int()
        .min(1)
        .max(10)
        .optional()
        .describe("Repeats of the final check (1-10)"),
      flakiness_threshold: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe("Share of disagreeing samples above which a test counts as flaky (0.0-1.0)"),
      min_consistent_improvement: z
        .number()
        .min(0)
        .max(100)
        .optional()
        .describe("Smallest improvement, in points, that must hold across samples (0.0-100.0)"),
      variance_aware_mutator: z.boolean().optional().describe("Let the mutator target unstable tests"),
      variance_signal: z
        .enum(["levenshtein", "embedding", "both"])
        .optional()
        .describe("How output variance is measured"),
      enforce_target_score: z
        .boolean()
        .optional()
        .describe("Fail unless target_score is reached (server default true)"),
    }),
    output: queued("optimization_id"),
    idempotent: false,
    openWorld: true,
  },
  {
    name: "cancel_optimization",
    title: "Cancel an optimization",
    description:
      "Stops a queued or running optimization. Work done so far is discarded; it cannot be resumed.",
    kind: "write",
    method: "POST",
    path: "/optimizations/{optimization_id}/cancel",
    input: strict({ optimization_id: optimizationId }),
    output: optimizationStatus,
    destructive: true,
    idempotent: true,
  },
  // ---- write: library ----
  {
    name: "update_prompt",
    title: "Update a prompt",
    description:
      "Changes a prompt in one atomic step. For every field: omit it or pass null to leave it unchanged, [] to clear a list, a value or list to replace it. A change to prompt_text, tests, deepeval_metrics, kpis, provider_profiles or judge_profile creates a new version. change_summary is required and goes to the audit log.",
    kind: "write",
    method: "PATCH",
    path: "/prompts/{prompt_id}",
    input: strict({
      prompt_id: promptId,
      change_summary: z
        .string()
        .min(1)
        .max(2000)
        .describe("Why this change (required; recorded in the audit log)"),
      prompt_text: z.string().nullable().optional().describe("New prompt text (max 500,000 characters)"),
      tests: replaceableList(promptTest, "Test cases"),
      deepeval_metrics: replaceableList(row, "DeepEval metrics"),
      kpis: replaceableList(row, "KPIs"),
      provider_profiles: replaceableList(z.string().min(1), "Provider profile ids"),
      judge_profile: z
        .union([z.string(), row])
        .nullable()
        .optional()
        .describe("Judge profile: omit or null = unchanged"),
      description: z.string().nullable().optional().describe("New description: omit or null = unchanged"),
      tags: replaceableList(z.string().min(1), "Tags"),
      team: z.string().nullable().optional().describe("New owning team: omit or null = unchanged"),
      service: z.string().nullable().optional().describe("New service: omit or null = unchanged"),
    }),
    output: z.looseObject({
      prompt_id: z.string().optional(),
      version: z.number().optional(),
      created_version: z.boolean().optional(),
      is_active: z.boolean().optional(),
    }),
    idempotent: false,
    nullMeansUnchanged: true,
  },
  {
    name: "activate_prompt_version",
    title: "Activate a prompt version",
    description:
      "Makes an existing version the active one (rollback or roll-forward) without changing any content.",
    kind: "write",
    method: "PUT",
    path: "/prompts/{prompt_id}/versions/{version}/activate",
    input: strict({ prompt_id: promptId, version }),
    output: z.looseObject({ prompt_id: z.string().optional(), active_version: z.number().optional() }),
    idempotent: true,
  },
  {
    name: "share_prompt",
    title: "Share a prompt with a group",
    description: "Gives a group view or edit access to a prompt. Needs admin or group-manager role.",
    kind: "write",
    method: "POST",
    path: "/prompts/{prompt_id}/shares",
    input: strict({
      prompt_id: promptId,
      group_id: groupId,
      permission: z.enum(["view", "edit"]).default("view").describe("view (default) or edit"),
    }),
    output: row,
    idempotent: true,
  },
  {
    name: "unshare_prompt",
    title: "Stop sharing a prompt with a group",
    description: "Removes a group's access to a prompt. Needs admin or group-manager role.",
    kind: "write",
    method: "DELETE",
    path: "/prompts/{prompt_id}/shares/{group_id}",
    input: strict({ prompt_id: promptId, group_id: groupId }),
    output: deleted,
    destructive: true,
    idempotent: true,
  },
  {
    name: "add_prompt_to_group",
    title: "Add a prompt to a group",
    description: "Adds a prompt to a group. Needs admin or group-manager role.",
    kind: "write",
    method: "POST",
    path: "/groups/{group_id}/prompts",
    input: strict({ group_id: groupId, prompt_id: promptId }),
    output: z.looseObject({ group_id: z.string().optional(), prompt_id: z.string().optional() }),
    idempotent: true,
  },
  {
    name: "remove_prompt_from_group",
    title: "Remove a prompt from a group",
    description: "Removes a prompt from a group. Needs admin or group-manager role.",
    kind: "write",
    method: "DELETE",
    path: "/groups/{group_id}/prompts/{prompt_id}",
    input: strict({ group_id: groupId, prompt_id: promptId }),
    output: deleted,
    destructive: true,
    idempotent: true,
  },
  {
    name: "transfer_prompt_ownership",
    title: "Transfer prompt ownership",
    description:
      "Makes another user the owner of a prompt. Admin only; the current owner cannot be the new owner.",
    kind: "write",
    method: "POST",
    path: "/prompts/{prompt_id}/transfer",
    input: strict({
      prompt_id: promptId,
      new_owner_id: z.string().min(1).describe("User id of the new owner"),
    }),
    output: z.looseObject({ prompt_id: z.string().optional(), owner: row.optional() }),
    destructive: true,
    idempotent: true,
  },
];

export const TOOL_NAMES: readonly string[] = TOOLS.map((t) => t.name);
