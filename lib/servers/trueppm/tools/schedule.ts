import * as z from "zod";
import { ToolError } from "../../../core/tools/define-tool.ts";
import { compactObject, isJsonObject } from "../shaping.ts";
import { forecastWhy, scheduleSummaryWhy, whatifWhy } from "../why.ts";
import {
  getTool,
  input,
  objectOutput,
  objectWithWhyOutput,
  path,
  projectId,
  resourceId,
  tool,
} from "./define.ts";

export const DERIVATION_QUANTITIES = [
  "early_start",
  "early_finish",
  "late_start",
  "late_finish",
  "total_float",
  "free_float",
  "scheduled_start",
  "p50",
  "p80",
  "p95",
] as const;

const withWhy = <T extends Record<string, unknown>>(obj: T, why: unknown) => (why ? { ...obj, why } : obj);

export const getScheduleSummary = tool({
  name: "get_schedule_summary",
  title: "Get schedule summary",
  description:
    "A project's schedule forecast (CPM finish and forecast figures) with `critical_task_count` and a `why` block naming what drives the finish.",
  input: input({ project_id: projectId }),
  output: objectWithWhyOutput.extend({ critical_task_count: z.number().int().optional() }),
  hints: "openRead",
  async handler({ project_id }, { api, present }) {
    const forecast = compactObject(await api.get(path("projects", project_id, "forecast")));
    // Only the count matters here, so the first page is enough.
    const critical = await api.get("tasks/", { project: project_id, is_critical: "true" });
    let count: number | undefined;
    if (Array.isArray(critical)) count = critical.length;
    else if (isJsonObject(critical) && Number.isInteger(critical.count)) count = critical.count as number;
    else if (isJsonObject(critical) && Array.isArray(critical.results)) count = critical.results.length;
    const result: Record<string, unknown> = { ...forecast };
    if (count !== undefined) result.critical_task_count = count;
    return present(withWhy(result, scheduleSummaryWhy(forecast, count)));
  },
});

export const getMonteCarloForecast = getTool({
  name: "get_monte_carlo_forecast",
  title: "Get Monte Carlo forecast",
  description:
    "The latest stored Monte Carlo run of a project (P50/P80/P95 finish dates, CPM finish, spread, sensitivity) with a `why` block on the P80 premium and its largest driver.",
  path: "projects/{project_id}/monte-carlo/latest/",
  input: input({ project_id: projectId }),
  output: objectWithWhyOutput,
  shape(body) {
    const run = compactObject(body);
    return withWhy(run, forecastWhy(run));
  },
});

export const whatif = tool({
  name: "whatif",
  title: "What-if: change one task's duration",
  description:
    "Recomputes the schedule and Monte Carlo forecast in memory with one task's duration changed, persisting nothing, and compares against the current forecast. Give exactly one of `duration_delta` or `new_duration`.",
  input: input({
    project_id: projectId,
    task_id: resourceId("task id"),
    duration_delta: z
      .number()
      .int()
      .optional()
      .describe("Working days to add to the task's duration (negative shortens it)."),
    new_duration: z.number().int().min(0).optional().describe("The task's new duration in working days."),
    n_simulations: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Monte Carlo iterations (server default if unset)."),
  }),
  output: objectWithWhyOutput,
  hints: "openRead",
  async handler(args, { api, present }) {
    if ((args.duration_delta === undefined) === (args.new_duration === undefined)) {
      throw new ToolError("Give exactly one of duration_delta or new_duration.");
    }
    const result = compactObject(
      await api.get(path("projects", args.project_id, "monte-carlo", "whatif"), {
        task_id: args.task_id,
        duration_delta: args.duration_delta,
        new_duration: args.new_duration,
        n_simulations: args.n_simulations,
      }),
    );
    return present(withWhy(result, whatifWhy(result)));
  },
});

export const getScheduleDerivation = getTool({
  name: "get_schedule_derivation",
  title: "Get schedule derivation",
  description:
    "The server-computed reason behind one scheduled value of a task: which constraint or predecessor set a CPM date or float, or which drivers make up a Monte Carlo percentile.",
  path: "projects/{project_id}/schedule/derivation/",
  input: input({
    project_id: projectId,
    task_id: resourceId("task id"),
    quantity: z.enum(DERIVATION_QUANTITIES).describe("Which computed value to explain."),
  }),
  output: objectOutput,
});

export const getReleaseForecast = getTool({
  name: "get_release_forecast",
  title: "Get release forecast",
  description:
    "How many sprints, and until which dates (P50/P80), a project needs to clear its committed backlog. Young projects answer with a warming-up shape and few figures.",
  path: "projects/{project_id}/sprint-forecast/",
  input: input({ project_id: projectId }),
  output: objectOutput,
});
