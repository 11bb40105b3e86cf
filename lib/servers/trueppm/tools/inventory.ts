import type { TrueppmTool } from "./define.ts";
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

/**
 * The 18 read tools, in the original's order. Every one is a GET; none can change data. Thirteen are rows
 * of the shared REST-tool factory (`getTool`); the five that combine requests or check their arguments
 * first are plain definitions (`tool`).
 */
export const TOOLS: readonly TrueppmTool[] = [
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
