import { isJsonObject, type JsonObject } from "./shaping.ts";

/**
 * `why` blocks explain a number from fields the tool already fetched; they never trigger a request and
 * never invent a value. A field that is missing, or does not look like what it should be (a date, an
 * id, an integer), leaves its part out, so API text cannot smuggle prose into the explanation.
 */
export interface WhyBlock {
  explanation: string;
  top_driver?: { task_id: string; index?: number };
  see_also?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

const asDate = (v: unknown): string | undefined => (typeof v === "string" && DATE.test(v) ? v : undefined);
const asId = (v: unknown): string | undefined =>
  typeof v === "string" && ID.test(v)
    ? v
    : typeof v === "number" && Number.isInteger(v)
      ? String(v)
      : undefined;
const asInt = (v: unknown): number | undefined => (Number.isInteger(v) ? (v as number) : undefined);
const asNumber = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;
const field = (obj: unknown, key: string): unknown => (isJsonObject(obj) ? obj[key] : undefined);
const days = (n: number) => `${n} working day(s)`;

/** get_task: critical path or float. Omitted for an unscheduled task (no `is_critical`). */
export function taskWhy(task: JsonObject): WhyBlock | undefined {
  if (task.is_critical === true) {
    return {
      explanation:
        "This task is on the critical path (zero total float) — any slip moves the project finish.",
    };
  }
  if (task.is_critical !== false) return undefined;
  const float = asNumber(task.total_float);
  if (float !== undefined && float > 0) {
    return {
      explanation: `This task has ${days(float)} of total float before a slip affects the project finish.`,
    };
  }
  return { explanation: "This task is not on the critical path." };
}

/** get_monte_carlo_forecast: the P80 premium over the CPM finish, and the top sensitivity driver. */
export function forecastWhy(run: JsonObject): WhyBlock | undefined {
  const p80 = asDate(run.p80);
  const cpmFinish = asDate(run.cpm_finish);
  const premium = asInt(field(run.delta_vs_cpm, "p80"));
  const first = Array.isArray(run.sensitivity) ? run.sensitivity[0] : undefined;
  const driverId = asId(field(first, "task_id"));
  const driverIndex = asNumber(field(first, "index"));

  let spread: string | undefined;
  if (p80 && cpmFinish) {
    spread =
      premium !== undefined
        ? `the P80 finish ${p80} is ${days(premium)} past the deterministic CPM finish ${cpmFinish}`
        : `the P80 finish is ${p80}, versus a deterministic CPM finish of ${cpmFinish}`;
  }
  const driver = driverId ? `the largest single driver of that spread is task ${driverId}` : undefined;
  if (!spread && !driver) return undefined;
  const why: WhyBlock = {
    explanation: `This forecast: ${[spread, driver].filter(Boolean).join("; ")}.`,
    see_also:
      "get_schedule_derivation(project_id, quantity='p50'|'p80'|'p95') for the full risk-premium and per-driver derivation",
  };
  if (driverId) {
    why.top_driver =
      driverIndex === undefined ? { task_id: driverId } : { task_id: driverId, index: driverIndex };
  }
  return why;
}

/** whatif: how far the P80 finish moves and whether the critical path changes. */
export function whatifWhy(result: JsonObject): WhyBlock | undefined {
  const delta = asInt(field(result.delta_vs_current, "p80"));
  const parts: string[] = [];
  if (delta !== undefined) {
    parts.push(
      delta === 0
        ? "the P80 finish is unchanged"
        : `the P80 finish moves ${days(Math.abs(delta))} ${delta > 0 ? "later" : "earlier"}`,
    );
  }
  if (result.critical_path_changed === true) {
    parts.push("the critical path changes — a different task chain now drives the finish");
  } else if (result.critical_path_changed === false) {
    parts.push("the critical path is unchanged");
  }
  if (parts.length === 0) return undefined;
  return {
    explanation: `This perturbation: ${parts.join("; ")}.`,
    see_also:
      "get_schedule_derivation(project_id, quantity='p80') for the driver breakdown behind the forecast",
  };
}

/** get_schedule_summary: the CPM finish and how many critical-path tasks drive it. */
export function scheduleSummaryWhy(
  forecast: JsonObject,
  criticalCount: number | undefined,
): WhyBlock | undefined {
  if (criticalCount === undefined) return undefined;
  const cpmFinish = asDate(forecast.cpm_finish);
  const finish = cpmFinish ? `the deterministic CPM finish is ${cpmFinish}; ` : "";
  return {
    explanation: `This forecast: ${finish}driven by ${criticalCount} critical-path task(s) — zero float, so any slip moves the finish.`,
  };
}
