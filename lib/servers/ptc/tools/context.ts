import { defineTool, type ToolCall } from "../../../core/tools/define-tool.ts";
import type { ToolCatalog } from "../catalog.ts";
import type { ProgramRunner } from "../program-runner.ts";

/** What ptc's tool handlers get: the live catalog, the program runner, and the call itself. */
export interface PtcToolContext {
  catalog: ToolCatalog;
  runner: ProgramRunner;
  call: ToolCall;
}

export const ptcTool = defineTool<PtcToolContext>();
