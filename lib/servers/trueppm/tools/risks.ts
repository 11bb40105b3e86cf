import { getTool, input, listOutput, projectId } from "./define.ts";

export const listRisks = getTool({
  name: "list_risks",
  title: "List risks",
  description: "A project's risk register: each risk's impact, probability, status and mitigation.",
  path: "projects/{project_id}/risks/",
  input: input({ project_id: projectId }),
  output: listOutput,
  paged: true,
});
