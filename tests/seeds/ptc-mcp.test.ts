import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { ROOT } from "../helpers/mcpkit.ts";
import { PTC_EXAMPLES } from "./examples/ptc-mcp.ts";
import { lookup } from "./examples/types.ts";
import {
  cleanupSeedTemps,
  connectCommand,
  connectOriginal,
  type Listening,
  type SeedSession,
  startListening,
  tempDir,
  textOf,
} from "./helpers.ts";
import { seedTest } from "./seed-test.ts";

// shared/seeds/ptc-mcp.txt, run against mcpkit started as `ptc-mcp`.
const ex = lookup(PTC_EXAMPLES);
const FIXTURE = resolve(ROOT, "tests/seeds/fixtures/seed-servers.mjs");

let internalApis: Listening;
let project: string;
let session: SeedSession;

/** The seed's config.yaml with the placeholder URL of "internal-apis" pointed at our SSE fixture. */
function configYaml(): string {
  return ex("ptc.config-yaml").text.replace("http://localhost:8080/mcp", internalApis.url);
}

/** A project dir laid out as the seed's config expects: ./financial-data-mcp/dist/index.js. */
function makeProject(): string {
  const dir = tempDir("ptc-project");
  mkdirSync(join(dir, "financial-data-mcp/dist"), { recursive: true });
  writeFileSync(
    join(dir, "financial-data-mcp/dist/index.js"),
    `process.argv.splice(2, 0, "financial-data");\nawait import(${JSON.stringify(`file://${FIXTURE}`)});\n`,
  );
  writeFileSync(join(dir, "financial-data-mcp/package.json"), '{"type":"module"}\n');
  return dir;
}

beforeAll(async () => {
  internalApis = await startListening("node", [FIXTURE, "internal-apis"]);
  project = makeProject();
  writeFileSync(join(project, "config.yaml"), configYaml());
  // `ptc-mcp` in the project dir reads ./config.yaml, as PTC-MCP does.
  session = await connectOriginal("ptc-mcp", [], { cwd: project });
}, 60_000);

afterAll(async () => {
  await session?.close();
  await internalApis?.stop();
  cleanupSeedTemps();
});

seedTest(ex("ptc.config-yaml"), async () => {
  const { tools } = await session.client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(["execute_program", "inspect_tool", "list_callable_tools"]);
  const names = JSON.parse(
    textOf(await session.client.callTool({ name: "list_callable_tools" })).split("\n")[0]!,
  );
  // Both servers connected (stdio and SSE), and the block list hid delete_resource.
  expect(names).toContain("mcp__financial_data__query_financials");
  expect(names).toContain("mcp__internal_apis__get_resource");
  expect(names).not.toContain("mcp__internal_apis__delete_resource");
});

seedTest(ex("ptc.list_callable_tools"), async () => {
  const r = await session.client.callTool({ name: "list_callable_tools", arguments: {} });
  expect(r.isError).toBeFalsy();
  expect(JSON.parse(textOf(r))).toEqual(JSON.parse(ex("ptc.list_callable_tools").text));
});

seedTest(ex("ptc.inspect_tool"), async () => {
  const r = await session.client.callTool({
    name: "inspect_tool",
    arguments: { tool_name: "mcp__financial_data__query_financials" },
  });
  expect(r.isError).toBeFalsy();
  const shown = JSON.parse(textOf(r)) as Record<string, unknown>;
  const seedShape = JSON.parse(ex("ptc.inspect_tool").text) as Record<string, unknown>;
  // Every field the seed shows, with its value; mcpkit adds a `typescript` declaration beside them.
  for (const [key, value] of Object.entries(seedShape)) expect(shown[key], key).toEqual(value);
});

seedTest(ex("ptc.execute_program"), async () => {
  const text = ex("ptc.execute_program").text;
  const code = /execute_program\(code="""\n([\s\S]*?)"""\)/.exec(text)![1]!;
  const expected = text.slice(text.indexOf("[Script executed successfully]"));
  // The call as Claude makes it: code only, no language (PTC-MCP runs Python).
  const r = await session.client.callTool({ name: "execute_program", arguments: { code } });
  const out = textOf(r);
  expect(r.isError, out).toBeFalsy();
  expect(out.startsWith(expected), out).toBe(true);
  // After the seed's lines only PTC-MCP v0.2's trace line follows (three calls, none failed).
  expect(out.slice(expected.length)).toMatch(/^\n\[tool calls: 3; \d+\.\ds\]$/);
});

seedTest(ex("ptc.config-env"), async () => {
  const elsewhere = join(tempDir("ptc-config"), "ptc.yaml");
  writeFileSync(elsewhere, configYaml());
  const s = await connectOriginal("ptc-mcp", [], { cwd: project, env: { PTC_MCP_CONFIG: elsewhere } });
  try {
    // The file in cwd would give the same servers, so prove the variable was read: rename a server there.
    const names = JSON.parse(
      textOf(await s.client.callTool({ name: "list_callable_tools" })).split("\n")[0]!,
    );
    expect(names).toContain("mcp__financial_data__query_financials");
  } finally {
    await s.close();
  }
  const other = join(tempDir("ptc-config"), "only-internal.yaml");
  writeFileSync(
    other,
    configYaml().replace(/ {2}- name: financial-data[\s\S]*?(?= {2}- name: internal-apis)/, ""),
  );
  const s2 = await connectOriginal("ptc-mcp", [], { cwd: project, env: { PTC_MCP_CONFIG: other } });
  try {
    const names = JSON.parse(
      textOf(await s2.client.callTool({ name: "list_callable_tools" })).split("\n")[0]!,
    );
    expect(names).toEqual(["mcp__internal_apis__get_resource"]);
  } finally {
    await s2.close();
  }
});

seedTest(ex("ptc.no-config"), async () => {
  for (const file of [undefined, "servers: []\n"]) {
    const dir = tempDir("ptc-empty");
    if (file !== undefined) writeFileSync(join(dir, "config.yaml"), file);
    const s = await connectOriginal("ptc-mcp", [], { cwd: dir });
    try {
      const r = await s.client.callTool({ name: "list_callable_tools", arguments: {} });
      expect(r.isError).toBeFalsy();
      expect(JSON.parse(textOf(r))).toEqual([]);
    } finally {
      await s.close();
    }
  }
});

seedTest(ex("ptc.run-entry-point"), async () => {
  // The bare command name, found on PATH like an installed entry point, speaking stdio JSON-RPC.
  const s = await connectCommand(ex("ptc.run-entry-point").text, [], { cwd: tempDir("ptc-run") });
  try {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "execute_program",
      "inspect_tool",
      "list_callable_tools",
    ]);
    const r = await s.client.callTool({ name: "execute_program", arguments: { code: 'print("hi")' } });
    expect(textOf(r)).toBe("[Script executed successfully]\nhi");
  } finally {
    await s.close();
  }
});
