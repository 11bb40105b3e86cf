import * as z from "zod";
import type { QueryParams } from "../http-client.ts";
import { compact, compactObject, isJsonObject, listEnvelope } from "../shaping.ts";
import { taskWhy } from "../why.ts";
import {
  defineTool,
  listOutput,
  objectOutput,
  objectWithWhyOutput,
  path,
  projectId,
  resourceId,
} from "./define.ts";

const filter = (what: string) => z.string().min(1).max(200).optional().describe(what);

export const listTasks = defineTool({
  name: "list_tasks",
  title: "List tasks",
  description:
    "Lists a project's tasks (compacted), optionally filtered by status, assignee, sprint, critical-path membership, type, or last change. Use `updated_after` (alias `since`) for incremental re-reads.",
  input: {
    project_id: projectId,
    status: filter("Workflow status, e.g. TODO or IN_PROGRESS."),
    assignee: filter("Assignee's user id."),
    sprint: filter("Sprint id."),
    is_critical: z.boolean().optional().describe("true: only critical-path tasks; false: only the others."),
    type: filter("Task type, e.g. TASK, STORY or EPIC."),
    updated_after: filter("ISO-8601 timestamp: only tasks changed after it."),
    since: filter("Alias of updated_after; updated_after wins when both are given."),
  },
  output: listOutput,
  async handler(args, { collect }) {
    const params: QueryParams = {
      project: args.project_id,
      status: args.status,
      assignee: args.assignee,
      sprint: args.sprint,
      is_critical: args.is_critical === undefined ? undefined : String(args.is_critical),
      type: args.type,
      updated_after: args.updated_after ?? args.since,
    };
    return listEnvelope(await collect("tasks/", params));
  },
});

export const getTask = defineTool({
  name: "get_task",
  title: "Get task",
  description:
    "One task with all its fields (dates, float, assignee, sprint, acceptance criteria) and a `why` block saying whether it is on the critical path or how much float it has.",
  input: { task_id: resourceId("task id") },
  output: objectWithWhyOutput,
  async handler({ task_id }, { api }) {
    const task = compactObject(await api.get(path("tasks", task_id)));
    const why = taskWhy(task);
    return why ? { ...task, why } : task;
  },
});

export const getBoardState = defineTool({
  name: "get_board_state",
  title: "Get board state",
  description: "A project's board: its columns and every task card on it.",
  input: { project_id: projectId },
  output: objectOutput.extend({ columns: z.unknown(), cards: z.array(z.unknown()) }),
  async handler({ project_id }, { api, collect }) {
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
    return result;
  },
});

export const listMyWork = defineTool({
  name: "list_my_work",
  title: "List my work",
  description: "The token owner's assigned tasks across every project they belong to.",
  input: {},
  output: listOutput,
  async handler(_args, { collect }) {
    return listEnvelope(await collect("me/work/"));
  },
});
