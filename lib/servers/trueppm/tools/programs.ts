import { compact, withCallerRole } from "../shaping.ts";
import { getTool, input, listOutput, objectOutput, resourceId } from "./define.ts";

const programId = resourceId("program id");

export const listPrograms = getTool({
  name: "list_programs",
  title: "List programs",
  description: "Lists every program the token's owner can read, with `caller_role` (your role on each).",
  path: "programs/",
  input: input({}),
  output: listOutput,
  paged: true,
  item: (row) => compact(withCallerRole(row)),
});

export const getProgramHealth = getTool({
  name: "get_program_health",
  title: "Get program health",
  description: "One program's rolled-up health across its projects.",
  path: "programs/{program_id}/rollup/",
  input: input({ program_id: programId }),
  output: objectOutput,
});

export const listProgramBacklog = getTool({
  name: "list_program_backlog",
  title: "List program backlog",
  description: "A program's backlog: the intake pool of items, ranked by priority.",
  path: "programs/{program_id}/backlog-items/",
  input: input({ program_id: programId }),
  output: listOutput,
  paged: true,
});
