import { type Risk, type ToolChange, type ToolRecord, toolId } from "./types.ts";

/** The compact card catalog_search returns: enough to choose a tool, never its schema. */
export interface CapabilityCard {
  tool_id: string;
  server: string;
  tool_name: string;
  title?: string;
  short_description: string;
  tags: string[];
  risk_hint: Risk;
  availability: "online" | "offline";
  code_hint?: string;
  /** Which parts of the definition changed since it was accepted (see ToolChange). */
  changed?: ToolChange["fields"];
}

/** First sentence or line, at most `max` characters, ending in "..." when cut. */
export function oneLine(text: string, max = 100): string {
  const line = (text ?? "").trim().split(/\r?\n/)[0]!.trim();
  const sentence = /^(.+?[.!?])(\s|$)/.exec(line)?.[1] ?? line;
  if (sentence.length <= max) return sentence;
  return `${sentence.slice(0, max - 3).trimEnd()}...`;
}

/** L1 guidance: a one-word hint on how code would use this tool (loop, filter, poll, try/catch). */
export function codeHint(record: Pick<ToolRecord, "name" | "description" | "risk">): string | undefined {
  const text = `${record.name} ${record.description}`.toLowerCase();
  if (/\b(status|wait|poll|progress|job)\b/.test(text)) return "poll";
  if (/\b(list|search|query|find)\b|_list|list_|search_/.test(text)) return "filter";
  if (/\b(batch|each|bulk|many)\b/.test(text)) return "loop";
  if (record.risk === "high") return "try/catch";
  return undefined;
}

/** `availability` overrides the record's: online while its server runs, offline when it would start on use. */
export function toCard(
  record: ToolRecord,
  withHint: boolean,
  availability: CapabilityCard["availability"] = record.availability,
): CapabilityCard {
  const card: CapabilityCard = {
    tool_id: toolId(record.server, record.name),
    server: record.server,
    tool_name: record.name,
    short_description: oneLine(record.description),
    tags: record.tags,
    risk_hint: record.risk,
    availability,
  };
  if (record.title && record.title !== record.name) card.title = record.title;
  if (withHint) {
    const hint = codeHint(record);
    if (hint) card.code_hint = hint;
  }
  if (record.changed) card.changed = record.changed.fields;
  return card;
}
