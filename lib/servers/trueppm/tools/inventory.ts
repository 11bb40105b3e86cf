import type { ToolDef } from "./define.ts";
import { whoami } from "./identity.ts";
import { getProgramHealth, listProgramBacklog, listPrograms } from "./programs.ts";
import { getProject, listProjects } from "./projects.ts";
import { listRisks } from "./risks.ts";
import {
  getMonteCarloForecast,
  getReleaseForecast,
  getScheduleDerivation,
  getScheduleSummary,
  whatif,
} from "./schedule.ts";
import { getSprint, listSprints } from "./sprints.ts";
import { getBoardState, getTask, listMyWork, listTasks } from "./tasks.ts";

/** The 18 read tools, in the original's order. Every one is a GET; none can change data. */
export const TOOLS: readonly ToolDef<any>[] = [
  listProjects,
  getProject,
  listTasks,
  getTask,
  getBoardState,
  getScheduleSummary,
  listRisks,
  getMonteCarloForecast,
  whatif,
  getScheduleDerivation,
  getReleaseForecast,
  listSprints,
  getSprint,
  listMyWork,
  listPrograms,
  getProgramHealth,
  listProgramBacklog,
  whoami,
];

/** Hints shared by every tool: reads only, repeatable, and talking to a system outside this process. */
export const READ_ONLY_ANNOTATIONS = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
} as const;
