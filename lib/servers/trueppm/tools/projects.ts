import { compact, compactObject, isJsonObject, listEnvelope, withCallerRole } from "../shaping.ts";
import { defineTool, listOutput, objectOutput, path, projectId } from "./define.ts";

const projectRow = (row: unknown) => compact(withCallerRole(row));

export const listProjects = defineTool({
  name: "list_projects",
  title: "List projects",
  description:
    "Lists every TruePPM project the token's owner can read, with `caller_role` (your role on each). Start here to find project ids.",
  input: {},
  output: listOutput,
  async handler(_args, { collect }) {
    return listEnvelope(await collect("projects/"), projectRow);
  },
});

export const getProject = defineTool({
  name: "get_project",
  title: "Get project",
  description:
    "One project's metadata with `caller_role`, plus its health `overview` (schedule health, late and critical task counts, next milestone).",
  input: { project_id: projectId },
  output: objectOutput,
  async handler({ project_id }, { api }) {
    const detail = await api.get(path("projects", project_id));
    const result = compactObject(isJsonObject(detail) ? withCallerRole(detail) : {});
    const overview = compact(await api.get(path("projects", project_id, "overview")));
    if (
      overview !== undefined &&
      overview !== null &&
      !(isJsonObject(overview) && !Object.keys(overview).length)
    ) {
      result.overview = overview;
    }
    return result;
  },
});
