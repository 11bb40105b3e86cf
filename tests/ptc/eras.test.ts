// ptc between clients and downstream servers of either protocol era: 2025-era and 2026-07-28 clients, over
// stdio and HTTP, run programs that call downstreams configured with protocol 2025 (default), 2026 and auto.
import { resolve } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, type HttpProcess, mcpkitCommand, ROOT, startHttp, waitFor } from "../helpers/mcpkit.ts";
import { callText, runProgram, writeConfig } from "./helpers.ts";

const TIMEOUT = 60_000;
const V2 = resolve(ROOT, "tests/fixtures/upstream/v2-server.mjs");
const EVERYTHING = resolve(ROOT, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
const MEMORY = resolve(ROOT, "node_modules/@modelcontextprotocol/server-memory/dist/index.js");
const node = (name: string, args: string[], extra = "") =>
  `  - name: ${name}\n    command: node\n    args: ${JSON.stringify(args)}\n${extra}`;

let config: string;
let env: Record<string, string>;
let http: HttpProcess | undefined;
const clients: Client[] = [];

beforeAll(() => {
  config = writeConfig(
    `servers:\n${node("v2new", [V2, "--modern-only"], "    protocol: 2026\n")}${node("v2old", [V2])}${node(
      "everything",
      [EVERYTHING, "stdio"],
    )}${node("memory", [MEMORY], "    protocol: auto\n")}execution:\n  tool_call_timeout_seconds: 20\n`,
  );
  env = baseEnv({ PTC_MCP_CONFIG: config, MCPKIT_CACHE_DIR: resolve(config, "../cache") });
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await http?.stop();
}, TIMEOUT);

function newClient(era: "2025" | "2026"): Client {
  const client = new Client(
    { name: "ptc-eras", version: "0" },
    era === "2026" ? { versionNegotiation: { mode: { pin: "2026-07-28" } } } : {},
  );
  clients.push(client);
  return client;
}

for (const [transport, era] of [
  ["stdio", "2025"],
  ["stdio", "2026"],
  ["http", "2025"],
  ["http", "2026"],
] as const) {
  describe(`a ${era}-era client over ${transport}`, () => {
    let client: Client;
    const tag = `${transport}${era}`;

    beforeAll(async () => {
      client = newClient(era);
      if (transport === "stdio") {
        const cmd = mcpkitCommand();
        await client.connect(
          new StdioClientTransport({ command: cmd.command, args: [...cmd.args, "ptc"], env, stderr: "pipe" }),
        );
      } else {
        http ??= await startHttp(["ptc", "--transport", "http", "--port", "0"], { env });
        await client.connect(new StreamableHTTPClientTransport(new URL(http.url)));
      }
    }, TIMEOUT);

    it(
      "one program calls downstreams of both eras",
      async () => {
        await waitFor(async () => {
          const listed = await callText(client, "list_callable_tools");
          return [
            "mcp__v2new__era",
            "mcp__v2old__era",
            "mcp__everything__echo",
            "mcp__memory__read_graph",
          ].every((n) => listed.texts[0]!.includes(n));
        }, 30_000);
        const r = await runProgram(
          client,
          `const a = await mcp__v2new__era({});
           const b = await mcp__v2old__era({});
           const c = await mcp__everything__echo({ message: "${tag}" });
           const g = await mcp__memory__read_graph({});
           console.log(a, b, c, typeof g);`,
        );
        expect(r.structured.error).toBeNull();
        expect(r.structured.output).toContain(`2026-07-28 2025-11-25 Echo: ${tag} object`);
        if (era === "2026") {
          // ptc's three tools never change: a 2026-07-28 client may keep the list for an hour.
          const listed = (await client.listTools(undefined, { cacheMode: "bypass" })) as { ttlMs?: number };
          expect(listed.ttlMs).toBe(3_600_000);
        }
      },
      TIMEOUT,
    );

    it(
      "a downstream's failure is a ToolError inside the program",
      async () => {
        const r = await runProgram(
          client,
          `try { await mcp__v2new__fail({}); console.log("no error"); }
           catch (e) { console.log(e instanceof ToolError, e.message); }`,
        );
        expect(r.structured.output).toContain("true");
        expect(r.structured.output).toContain("the fixture failed on purpose");
      },
      TIMEOUT,
    );

    it(
      "reports a program's progress (downstream progress of either era, finished calls) to a client that asks",
      async () => {
        const messages: string[] = [];
        const r = await client.callTool(
          {
            name: "execute_program",
            arguments: {
              code: `await mcp__v2new__slow({ steps: 3, ms: 100 });
                     await mcp__v2old__slow({ steps: 3, ms: 100 });
                     console.log("ok");`,
            },
          },
          { onprogress: (p) => messages.push(String(p.message)), timeout: 30_000 },
        );
        expect((r.structuredContent as { output: string }).output).toBe("ok\n");
        expect(messages.some((m) => m.startsWith("mcp__v2new__slow: step"))).toBe(true);
        expect(messages.some((m) => m.startsWith("mcp__v2old__slow: step"))).toBe(true);
        expect(messages).toContain("1 tool call(s) done; last: mcp__v2new__slow (ok)");
      },
      TIMEOUT,
    );

    it(
      "a program's deadline cancels its call on a 2026-07-28 downstream",
      async () => {
        const r = await runProgram(client, "await mcp__v2new__slow({ steps: 400, ms: 25 });", {
          timeout_seconds: 1,
        });
        expect(r.structured.error_kind).toBe("timeout");
        await waitFor(async () => {
          const seen = await runProgram(client, "console.log(await mcp__v2new__cancelled({}));");
          return seen.structured.output.includes("slow at");
        }, 20_000);
      },
      TIMEOUT,
    );

    it(
      "a 2026-07-28 downstream's new tool becomes callable (list_changed over its listen stream)",
      async () => {
        await runProgram(client, `await mcp__v2new__add_tool({ name: "added_${tag}" });`);
        await waitFor(async () => {
          const listed = await callText(client, "list_callable_tools");
          return listed.texts[0]!.includes(`mcp__v2new__added_${tag}`);
        }, 20_000);
        const r = await runProgram(client, `console.log(await mcp__v2new__added_${tag}({}));`);
        expect(r.structured.output).toContain(`added_${tag} here`);
      },
      TIMEOUT,
    );
  });
}
