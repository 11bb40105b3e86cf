import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, connectHttp, type HttpProcess, ROOT, startHttp } from "../helpers/mcpkit.ts";
import { callText, MOCK_SERVER, runProgram, writeConfig } from "./helpers.ts";

const EVERYTHING = resolve(ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");

/** The mock downstream over Streamable HTTP on an ephemeral port. */
async function startMockHttp(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn("node", [MOCK_SERVER, "--http", "--port", "0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = await new Promise<string>((res, rej) => {
    let err = "";
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) res(m[1]!);
    });
    child.once("exit", (code) => rej(new Error(`mock server exited (${code}): ${err}`)));
  });
  return { child, url };
}

// ptc served over Streamable HTTP, with one downstream over HTTP (the mock) and one over stdio
// (@modelcontextprotocol/server-everything).
describe("mcpkit ptc over HTTP with HTTP and stdio downstreams", () => {
  let mock: { child: ChildProcess; url: string };
  let ptc: HttpProcess;
  let client: Client;
  beforeAll(async () => {
    mock = await startMockHttp();
    const config = writeConfig(
      `servers:\n  - name: web-mock\n    transport: http\n    url: ${mock.url}\n  - name: everything\n    command: node\n    args: [${JSON.stringify(EVERYTHING)}, "stdio"]\n`,
    );
    ptc = await startHttp(["ptc", "--transport", "http", "--port", "0"], {
      env: baseEnv({ PTC_MCP_CONFIG: config }),
    });
    client = await connectHttp(ptc.url);
  });
  afterAll(async () => {
    await client?.close();
    await ptc?.stop();
    mock?.child.kill("SIGKILL");
  });

  it("lists tools of both downstreams", async () => {
    const names = JSON.parse((await callText(client, "list_callable_tools")).texts[0]!) as string[];
    expect(names).toContain("mcp__web_mock__add");
    expect(names).toContain("mcp__everything__get_sum");
    expect(names).toContain("mcp__everything__echo");
  });

  it("one program calls tools on both, concurrently", async () => {
    const r = await runProgram(
      client,
      `const [sum, echo, greet] = await Promise.all([
  mcp__everything__get_sum({ a: 2, b: 40 }),
  tools["mcp__everything__echo"]({ message: "hi" }),
  mcp__web_mock__greet({ name: "HTTP" }),
])
console.log(greet)
return { sum, echo }`,
    );
    expect(r.structured.ok).toBe(true);
    expect(r.text).toContain("Hello, HTTP!");
    expect(JSON.stringify(r.structured.result)).toContain("42");
    expect(JSON.stringify(r.structured.result)).toContain("Echo: hi");
    expect(r.structured.tool_calls).toHaveLength(3);
  });

  it("structuredContent from server-everything reaches the script as data", async () => {
    const r = await runProgram(
      client,
      "await mcp__everything__get_structured_content({ location: 'New York' })",
    );
    expect(r.structured.ok).toBe(true);
    expect(typeof r.structured.result).toBe("object");
  });

  it("inspect_tool over HTTP", async () => {
    const r = await callText(client, "inspect_tool", { tool_name: "mcp__everything__get_sum" });
    const info = JSON.parse(r.texts[0]!);
    expect(info.name).toBe("mcp__everything__get_sum");
    expect(info.typescript).toContain("declare function mcp__everything__get_sum");
  });

  it("a downstream error result is a ToolError", async () => {
    const r = await runProgram(client, "await mcp__web_mock__fail({})");
    expect(r.isError).toBe(true);
    expect(r.text).toContain("ToolError: 'mcp__web_mock__fail' returned an error: mock failure");
  });
});
