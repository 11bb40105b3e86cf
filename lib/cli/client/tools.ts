import type { ServerCommandSpec } from "../../core/command-spec.ts";
import { connectTarget, type TargetFlags } from "./connect.ts";
import { toolTokens } from "./token-cost.ts";

export interface ToolsFlags extends TargetFlags {
  json?: boolean;
}

interface ToolRow {
  name: string;
  title?: string;
  tokens: number;
  readOnly?: boolean;
}

function table(label: string, rows: ToolRow[], total: number): string {
  const nameWidth = Math.max(4, ...rows.map((r) => r.name.length));
  const lines = [`${label}: ${rows.length} tools, ${total.toLocaleString("en-US")} tokens`];
  lines.push(`  ${"TOOL".padEnd(nameWidth)}  ${"TOKENS".padStart(6)}  TITLE`);
  for (const r of rows) {
    const ro = r.readOnly ? " (read-only)" : "";
    lines.push(`  ${r.name.padEnd(nameWidth)}  ${String(r.tokens).padStart(6)}  ${r.title ?? ""}${ro}`);
  }
  return `${lines.join("\n")}\n`;
}

/** `mcpkit tools`: lists a server's tools with what each costs in context tokens. */
export async function runTools(
  server: string | undefined,
  flags: ToolsFlags,
  commands: readonly ServerCommandSpec[],
): Promise<void> {
  const conn = await connectTarget(server, flags, commands);
  try {
    const tools = [];
    let cursor: string | undefined;
    do {
      const page = await conn.client.listTools(cursor ? { cursor } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    const rows: ToolRow[] = tools.map((t) => ({
      name: t.name,
      title: t.title ?? t.annotations?.title,
      tokens: toolTokens(t),
      readOnly: t.annotations?.readOnlyHint,
    }));
    const total = rows.reduce((n, r) => n + r.tokens, 0);
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ server: conn.label, tools: rows, totalTokens: total }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(table(conn.label, rows, total));
    }
  } finally {
    await conn.close();
  }
}
