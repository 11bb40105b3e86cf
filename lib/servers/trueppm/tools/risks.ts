import { listEnvelope } from "../shaping.ts";
import { defineTool, listOutput, path, projectId } from "./define.ts";

export const listRisks = defineTool({
  name: "list_risks",
  title: "List risks",
  description: "A project's risk register: each risk's impact, probability, status and mitigation.",
  input: { project_id: projectId },
  output: listOutput,
  async handler({ project_id }, { collect }) {
    return listEnvelope(await collect(path("projects", project_id, "risks")));
  },
});
