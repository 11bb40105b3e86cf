import * as z from "zod";
import { compact, compactObject, isJsonObject } from "../shaping.ts";
import { taskWhy } from "../why.ts";
import {
  getTool,
  input,
  listOutput,
  objectOutput,
  objectWithWhyOutput,
  path,
  projectId,
  resourceId,
  tool,
} from "./define.ts";

const filter = (what: string) => z.string().min(1).max(200).optional().describe(what);

export const listTasks = getTool({
  name: "list_tasks",
  title: "List tasks",
  description:
    "Lists a project's tasks (compacted), optionally filtered by status, assignee, sprint, critical-path membership, type, or last change. Use `updated_after` (alias `since`) for incremental re-reads.",
  path: "tasks/",
  input: input({
    project_id: projectId,
    status: filter("Workflow status, e.g. TODO or IN_PROGRESS."),
    assignee: filter("Assignee's user id."),
    sprint: filter("Sprint id."),
    is_critical: z.boolean().optional().describe("true: only critical-path tasks; false: only the others."),
    type: filter("Task type, e.g. TASK, STORY or EPIC."),
    updated_after: filter("ISO-8601 timestamp: only tasks changed after it."),
    since: filter("Alias of updated_after; updated_after wins when both are given."),
  }),
  output: listOutput,
  paged: true,
  fields: (args) => ({
    project: args.project_id,
    status: args.status,
    assignee: args.assignee,
    sprint: args.sprint,
    is_critical: args.is_critical === undefined ? undefined : String(args.is_critical),
    type: args.type,
    updated_after: args.updated_after ?? args.since,
  }),
});

export const getTask = getTool({
  name: "get_task",
  title: "Get task",
  description:
    "One task with all its fields (dates, float, assignee, sprint, acceptance criteria) and a `why` block saying whether it is on the critical path or how much float it has.",
  path: "tasks/{task_id}/",
  input: input({ task_id: resourceId("task id") }),
  output: objectWithWhyOutput,
  shape(body) {
    const task = compactObject(body);
    const why = taskWhy(task);
    return why ? { ...task, why } : task;
  },
});

export const getBoardState = tool({
  name: "get_board_state",
  title: "Get board state",
  description: "A project's board: its columns and every task card on it.",
  input: input({ project_id: projectId }),
  output: objectOutput.extend({ columns: z.unknown(), cards: z.array(z.unknown()) }),
  hints: "openRead",
  async handler({ project_id }, { api, collect, present }) {
    const config = await api.get(path("projects", project_id, "board-config"));
    const cards = await collect("tasks/", { project: project_id });
    const columns = isJsonObject(config) ? config.columns : config;
    const result: Record<string, unknown> = {
      columns: columns === undefined || columns === null ? [] : compact(columns),
      cards: cards.rows.map(compact),
    };
    if (cards.truncated) {
      result.cards_truncated = true;
      result.total_card_count = cards.totalCount;
    }
    return present(result);
  },
});

export const listMyWork = getTool({
  name: "list_my_work",
  title: "List my work",
  description: "The token owner's assigned tasks across every project they belong to.",
  path: "me/work/",
  input: input({}),
  output: listOutput,
  paged: true,
});
