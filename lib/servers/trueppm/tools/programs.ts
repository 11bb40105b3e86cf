import { compact, compactObject, listEnvelope, withCallerRole } from "../shaping.ts";
import { defineTool, listOutput, objectOutput, path, resourceId } from "./define.ts";

const programId = resourceId("program id");

export const listPrograms = defineTool({
  name: "list_programs",
  title: "List programs",
  description: "Lists every program the token's owner can read, with `caller_role` (your role on each).",
  input: {},
  output: listOutput,
  async handler(_args, { collect }) {
    return listEnvelope(await collect("programs/"), (row) => compact(withCallerRole(row)));
  },
});

export const getProgramHealth = defineTool({
  name: "get_program_health",
  title: "Get program health",
  description: "One program's rolled-up health across its projects.",
  input: { program_id: programId },
  output: objectOutput,
  async handler({ program_id }, { api }) {
    return compactObject(await api.get(path("programs", program_id, "rollup")));
  },
});

export const listProgramBacklog = defineTool({
  name: "list_program_backlog",
  title: "List program backlog",
  description: "A program's backlog: the intake pool of items, ranked by priority.",
  input: { program_id: programId },
  output: listOutput,
  async handler({ program_id }, { collect }) {
    return listEnvelope(await collect(path("programs", program_id, "backlog-items")));
  },
});
