import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { baseEnv, connectStdio, mcpkitCommand, ROOT, waitFor } from "../helpers/mcpkit.ts";
import { callText, MOCK_SERVER, mockServerYaml, runProgram, writeConfig } from "./helpers.ts";

const LATE_START = join(ROOT, "tests/fixtures/ptc/late-start.mjs");

/** Runs `mcpkit ptc` expecting it to exit at start-up (stdin closed at once). */
function startFails(config: string, extraArgs: string[] = []) {
  const cmd = mcpkitCommand();
  const r = spawnSync(cmd.command, [...cmd.args, "ptc", ...extraArgs], {
    env: baseEnv({ PTC_MCP_CONFIG: config }),
    cwd: ROOT,
    encoding: "utf8",
    input: "",
    timeout: 30_000,
  });
  return { code: r.status, stderr: r.stderr };
}

describe("mcpkit ptc start-up and config", () => {
  it("starts with no config file, an empty file, and servers: []", async () => {
    for (const config of [
      join(dirname(writeConfig("")), "missing.yaml"),
      writeConfig(""),
      writeConfig("servers: []\n"),
    ]) {
      const s = await connectStdio(["ptc"], { env: baseEnv({ PTC_MCP_CONFIG: config }) });
      const r = await callText(s.client, "list_callable_tools");
      expect(r.texts).toEqual(["[]"]);
      await s.close();
    }
  });

  it("config errors exit 2 with the original's message", () => {
    const both = startFails(writeConfig("tools:\n  allow: [a]\n  block: [b]\n"));
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("mutually exclusive");
    expect(startFails(writeConfig("servers:\n  - name: x\n    transport: stdio\n")).stderr).toContain(
      "stdio transport requires 'command'",
    );
    expect(startFails(writeConfig("servers:\n  - name: x\n    transport: sse\n")).stderr).toContain(
      "sse transport requires 'url'",
    );
    const unset = startFails(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder, not a template
      writeConfig("servers:\n  - name: x\n    command: node\n    env: {K: '${PTC_TEST_UNSET_VAR}'}\n"),
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder, not a template
    expect(unset.stderr).toContain("environment variable ${PTC_TEST_UNSET_VAR} is not set");
  });

  it("a tool-name collision after sanitising is a start-up error naming both", () => {
    const r = startFails(writeConfig(`servers:\n${mockServerYaml("dup-a")}${mockServerYaml("dup_a")}`));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'dup-a'");
    expect(r.stderr).toContain("'dup_a'");
  });

  it("tools.block and tools.allow filter by namespaced glob", async () => {
    const blocked = writeConfig(
      `servers:\n${mockServerYaml()}tools:\n  block: ["mcp__mock_test__add", "mcp__*__c*"]\n`,
    );
    const s = await connectStdio(["ptc"], { env: baseEnv({ PTC_MCP_CONFIG: blocked }) });
    const names = JSON.parse((await callText(s.client, "list_callable_tools")).texts[0]!) as string[];
    expect(names).toContain("mcp__mock_test__greet");
    expect(names).not.toContain("mcp__mock_test__add");
    expect(names).not.toContain("mcp__mock_test__crash");
    const r = await runProgram(s.client, "await mcp__mock_test__add({ a: 1, b: 2 })");
    expect(r.text).toContain("ReferenceError");
    await s.close();

    const allowed = writeConfig(`servers:\n${mockServerYaml()}tools:\n  allow: ["mcp__mock_test__greet"]\n`);
    const a = await connectStdio(["ptc"], { env: baseEnv({ PTC_MCP_CONFIG: allowed }) });
    expect((await callText(a.client, "list_callable_tools")).texts[0]).toBe('["mcp__mock_test__greet"]');
    await a.close();
  });

  it("reads a Claude-style .mcp.json with --mcp-config", async () => {
    const mcpJson = join(dirname(writeConfig("")), ".mcp.json");
    writeFileSync(
      mcpJson,
      JSON.stringify({ mcpServers: { mock: { command: "node", args: [MOCK_SERVER] } } }),
    );
    const s = await connectStdio(["ptc", "--mcp-config", mcpJson], {
      env: baseEnv({ PTC_MCP_CONFIG: join(dirname(mcpJson), "none.yaml") }),
    });
    const r = await runProgram(s.client, "await mcp__mock__greet({ name: 'json' })");
    expect(r.structured.result).toBe("Hello, json!");
    await s.close();
  });

  it("Python programs run through the server, and trace: off hides the trace line", async () => {
    const config = writeConfig(`servers:\n${mockServerYaml()}execution:\n  trace: "off"\n`);
    const s = await connectStdio(["ptc"], { env: baseEnv({ PTC_MCP_CONFIG: config }) });
    const r = await runProgram(
      s.client,
      "r = await mcp__mock_test__add(a=10, b=20)\nprint(f'Sum: {r[\"result\"]}')",
      {
        language: "python",
      },
    );
    expect(r.text).toBe("[Script executed successfully]\nSum: 30");
    const f = await runProgram(s.client, "x = 1 / 0", { language: "python" });
    expect(f.isError).toBe(true);
    expect(f.text).toContain("ZeroDivisionError");
    await s.close();
  });

  it("a server that is down at start-up is skipped, retried, and its tools come back", async () => {
    const flag = join(dirname(writeConfig("")), "ready");
    const config = writeConfig(
      `servers:\n  - name: late\n    command: node\n    args: [${JSON.stringify(LATE_START)}, ${JSON.stringify(flag)}]\n`,
    );
    const s = await connectStdio(["ptc"], { env: baseEnv({ PTC_MCP_CONFIG: config }) });
    const before = await callText(s.client, "list_callable_tools");
    expect(before.texts[0]).toBe("[]");
    expect(before.texts[1]).toMatch(
      /^UNAVAILABLE SERVERS \(their tools are not listed; reconnecting\): late: /,
    );
    const down = await runProgram(s.client, "server_status().late");
    expect(down.structured.result).toMatchObject({ connected: false, tools: 0 });
    writeFileSync(flag, "");
    await waitFor(
      async () => (await callText(s.client, "list_callable_tools")).texts[0]!.includes("mcp__late__greet"),
      20_000,
      200,
    );
    const r = await runProgram(s.client, "await mcp__late__greet({ name: 'late' })");
    expect(r.structured.result).toBe("Hello, late!");
    await s.close();
  });
});
