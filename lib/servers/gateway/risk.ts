import type { Risk, ToolAnnotationsLike } from "./types.ts";

const HIGH =
  /\b(delete|remove|drop|destroy|kill|execute|exec|run|write|create|update|modify|send|post|put|push|deploy|truncate|overwrite|purge)\b/;
const LOW = /\b(read|get|list|search|query|fetch|describe|find|show|view|inspect|status|lookup)\b/;

/** Words of a tool name and description, split so `delete_repo` and `deleteRepo` both contain "delete". */
function words(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ");
}

/**
 * Risk hint for a card: the downstream's own annotations decide first (destructive → high, read-only →
 * low); otherwise keywords in the name, then in the description, decide. One function for live and cached
 * tools, so the two never disagree.
 */
export function inferRisk(name: string, description: string, annotations?: ToolAnnotationsLike): Risk {
  if (annotations?.destructiveHint === true) return "high";
  if (annotations?.readOnlyHint === true) return "low";
  const n = words(name);
  if (HIGH.test(n)) return "high";
  if (LOW.test(n)) return "low";
  const d = words(description);
  if (HIGH.test(d)) return "high";
  if (LOW.test(d)) return "low";
  return "medium";
}
