import { compact, compactObject, isJsonObject } from "../shaping.ts";
import { getTool, input, listOutput, objectOutput, path, projectId, resourceId, tool } from "./define.ts";

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export const listSprints = getTool({
  name: "list_sprints",
  title: "List sprints",
  description: "A project's sprints with their dates, state and aggregate figures (no per-person velocity).",
  path: "projects/{project_id}/sprints/",
  input: input({ project_id: projectId }),
  output: listOutput,
  paged: true,
});

export const getSprint = tool({
  name: "get_sprint",
  title: "Get sprint",
  description: "One sprint, plus its project's sprint `health` band (aggregates only).",
  input: input({ sprint_id: resourceId("sprint id") }),
  output: objectOutput,
  hints: "openRead",
  async handler({ sprint_id }, { api, present }) {
    const sprint = await api.get(path("sprints", sprint_id));
    const result = compactObject(sprint);
    const project = isJsonObject(sprint) ? sprint.project : undefined;
    const projectRef = typeof project === "number" ? String(project) : project;
    if (typeof projectRef === "string" && SAFE_ID.test(projectRef)) {
      const health = compact(await api.get(path("projects", projectRef, "sprint-health")));
      const empty =
        health === null || health === undefined || (isJsonObject(health) && !Object.keys(health).length);
      if (!empty) result.health = health;
    }
    return present(result);
  },
});
