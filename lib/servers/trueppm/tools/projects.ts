import { compact, compactObject, isJsonObject, withCallerRole } from "../shaping.ts";
import { getTool, input, listOutput, objectOutput, path, projectId, tool } from "./define.ts";

export const listProjects = getTool({
  name: "list_projects",
  title: "List projects",
  description:
    "Lists every TruePPM project the token's owner can read, with `caller_role` (your role on each). Start here to find project ids.",
  path: "projects/",
  input: input({}),
  output: listOutput,
  paged: true,
  item: (row) => compact(withCallerRole(row)),
});

export const getProject = tool({
  name: "get_project",
  title: "Get project",
  description:
    "One project's metadata with `caller_role`, plus its health `overview` (schedule health, late and critical task counts, next milestone).",
  input: input({ project_id: projectId }),
  output: objectOutput,
  hints: "openRead",
  async handler({ project_id }, { api, present }) {
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
    return present(result);
  },
});
