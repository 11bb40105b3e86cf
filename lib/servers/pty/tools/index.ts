import type { AnyTool } from "../../../core/tools/tool-registry.ts";
import {
  getDefaultCwd,
  getLimits,
  ptyCloseAll,
  ptyHealth,
  ptyMetrics,
  setDefaultCwd,
  setLimits,
} from "./admin.ts";
import { confirmDangerousCommand } from "./confirm.ts";
import type { PtyToolContext } from "./context.ts";
import { ptyAttach, ptyDetach, ptyHandoff, ptyTakeover } from "./leases.ts";
import { ptyClose, ptyList, ptyResize, ptySignal, ptyStatus, ptyWait } from "./lifecycle.ts";
import { ptyReadQuiescent } from "./quiescent.ts";
import { ptyRead, ptyReadAt, ptyReadStderr, ptyReadStdout } from "./read.ts";
import { ptyPrompt, ptyReadUntil, ptyReadUntilAny } from "./read-until.ts";
import { ptyRecover, ptyResume } from "./resume.ts";
import { ptyScreen } from "./screen.ts";
import { ptySpawn } from "./spawn.ts";
import { ptyWrite } from "./write.ts";

/** The tool inventory, as data, in listing order. Tiers decide exposure (default / control / admin). */
export const TOOLS: readonly AnyTool<PtyToolContext>[] = [
  ptySpawn,
  ptyResume,
  ptyRecover,
  ptyAttach,
  ptyDetach,
  ptyHandoff,
  ptyTakeover,
  ptyRead,
  ptyReadStdout,
  ptyReadStderr,
  ptyReadAt,
  ptyReadUntil,
  ptyReadUntilAny,
  ptyReadQuiescent,
  ptyPrompt,
  confirmDangerousCommand,
  ptyWrite,
  ptyResize,
  ptyClose,
  ptyStatus,
  ptyWait,
  ptyList,
  ptyScreen,
  ptySignal,
  ptyCloseAll,
  setDefaultCwd,
  getDefaultCwd,
  setLimits,
  getLimits,
  ptyMetrics,
  ptyHealth,
];
