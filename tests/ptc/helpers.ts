import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { ROOT } from "../helpers/mcpkit.ts";

export const MOCK_SERVER = resolve(ROOT, "tests/fixtures/ptc/mock-server.mjs");

/** Writes a config.yaml into a fresh temp dir and returns its path. */
export function writeConfig(yaml: string, name = "config.yaml"): string {
  const dir = mkdtempSync(join(tmpdir(), "ptc-test-"));
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return path;
}

/** A stdio server entry for the mock downstream, as config.yaml lines. */
export function mockServerYaml(name = "mock-test", extra = ""): string {
  return `  - name: ${name}\n    transport: stdio\n    command: node\n    args: [${JSON.stringify(MOCK_SERVER)}]\n${extra}`;
}

export interface ProgramResult {
  text: string;
  isError: boolean;
  structured: {
    ok: boolean;
    output: string;
    result: unknown;
    error: string | null;
    error_kind: string | null;
    output_truncated: boolean;
    result_truncated: boolean;
    tool_calls: Array<{ tool: string; args: string; ok: boolean; ms: number; error?: string }>;
  };
}

export async function runProgram(
  client: Client,
  code: string,
  opts: { language?: string; timeout_seconds?: number } = {},
): Promise<ProgramResult> {
  const r = await client.callTool({ name: "execute_program", arguments: { code, ...opts } });
  const content = r.content as Array<{ type: string; text: string }>;
  return {
    text: content.map((c) => c.text).join("\n"),
    isError: Boolean(r.isError),
    structured: r.structuredContent as ProgramResult["structured"],
  };
}

export async function callText(client: Client, name: string, args: Record<string, unknown> = {}) {
  const r = await client.callTool({ name, arguments: args });
  const content = r.content as Array<{ type: string; text: string }>;
  return { texts: content.map((c) => c.text), isError: Boolean(r.isError), structured: r.structuredContent };
}
