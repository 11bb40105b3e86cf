import { readFileSync } from "node:fs";
import type { CallToolResult } from "@modelcontextprotocol/server";
import type { ServerCommandSpec } from "../../core/command-spec.ts";
import { McpkitError, UsageError } from "../../core/errors.ts";
import { connectTarget, type TargetFlags } from "./connect.ts";
import { failureLine, formatResult } from "./format.ts";

export interface CallFlags extends TargetFlags {
  json?: boolean;
}

/** Reads the arguments: inline JSON, `@file`, or `@-` for stdin. */
export function parseArguments(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined || raw === "") return {};
  let text = raw;
  if (raw.startsWith("@")) {
    const file = raw.slice(1);
    try {
      text = readFileSync(file === "-" ? 0 : file, "utf8");
    } catch (e) {
      throw new UsageError(
        `cannot read arguments from ${file}: ${(e as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(
      `tool arguments are not valid JSON; pass an object like '{"text":"hi"}' or @file.json`,
    );
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError(`tool arguments must be a JSON object, e.g. '{"text":"hi"}'`);
  }
  return value as Record<string, unknown>;
}

/** `mcpkit call`: runs one tool and prints its result; a failed tool exits 1 with one line. */
export async function runCall(
  positionals: string[],
  flags: CallFlags,
  commands: readonly ServerCommandSpec[],
): Promise<void> {
  const [server, tool, raw] = flags.url ? [undefined, ...positionals] : positionals;
  const max = flags.url ? 2 : 3;
  if (!tool || positionals.length > max) {
    throw new UsageError(
      flags.url
        ? "usage: mcpkit call --url <url> <tool> [json|@file]"
        : "usage: mcpkit call <server> <tool> [json|@file]",
    );
  }
  const args = parseArguments(raw);
  const conn = await connectTarget(server, flags, commands);
  let result: CallToolResult;
  try {
    result = (await conn.client.callTool({ name: tool, arguments: args })) as CallToolResult;
  } catch (err) {
    const msg = (err as Error).message.replace(/^MCP error -?\d+:\s*/, "").split("\n")[0];
    throw new McpkitError(`${tool} on ${conn.label}: ${msg}`, 1);
  } finally {
    await conn.close();
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (!result.isError) process.stdout.write(formatResult(result, Boolean(process.stdout.isTTY)));
  if (result.isError) throw new McpkitError(`${tool} failed: ${failureLine(result)}`, 1);
}
