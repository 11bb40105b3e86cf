// The gateway's tools/call is the core ToolRegistry (tools/registry.ts): unknown names and arguments that
// fail a meta-tool's strict schema come back as PMCP's error results, and invoke works with and without
// a progress token. A host's extra tools: extensions.test.ts.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StdioSession } from "../helpers/mcpkit.ts";
import { call, EVERYTHING, gateway, scratch, writeJson } from "./helpers.ts";

const TIMEOUT = 60_000;
const s = scratch();
let gw: StdioSession;
let dotted: StdioSession;

beforeAll(async () => {
  const config = writeJson(join(s.dir, "cfg.mcp.json"), {
    mcpServers: { everything: { command: "node", args: [EVERYTHING, "stdio"] } },
  });
  gw = await gateway(["--config", config], s.env(), s.dir);
  dotted = await gateway(["--config", config, "--tool-names", "dotted"], s.env(), s.dir);
}, TIMEOUT);

afterAll(async () => {
  await gw?.close();
  await dotted?.close();
}, TIMEOUT);

async function raw(session: StdioSession, name: string, args: Record<string, unknown>) {
  const r = (await session.client.callTool({ name, arguments: args })) as {
    isError?: boolean;
    content: Array<{ type: string; text?: string }>;
  };
  return { isError: r.isError === true, text: r.content.map((c) => c.text ?? "").join("\n") };
}

describe("tools/call on the gateway", () => {
  it(
    "an unknown tool name is an error result naming it; the other spelling is unknown under dotted names",
    async () => {
      const r = await raw(gw, "gateway_nope", {});
      expect(r).toEqual({ isError: true, text: "Tool gateway_nope not found" });
      const d = await raw(dotted, "gateway_invoke", { tool_id: "everything::echo" });
      expect(d).toEqual({ isError: true, text: "Tool gateway_invoke not found" });
    },
    TIMEOUT,
  );

  it(
    "arguments outside a meta-tool's schema are refused before anything runs",
    async () => {
      const extra = await raw(gw, "gateway_invoke", { tool_id: "everything::echo", bogus: 1 });
      expect(extra.isError).toBe(true);
      expect(extra.text).toContain("Input validation error: Invalid arguments for tool gateway_invoke");
      expect(extra.text).toContain("bogus");
      const missing = await raw(gw, "gateway_invoke", { arguments: {} });
      expect(missing.isError).toBe(true);
      expect(missing.text).toContain("at tool_id");
      const badOption = await raw(dotted, "gateway.invoke", {
        tool_id: "everything::echo",
        options: { timeout_ms: 5 },
      });
      expect(badOption.isError).toBe(true);
      expect(badOption.text).toContain("options.timeout_ms");
    },
    TIMEOUT,
  );

  it(
    "invoke answers with and without a progress token, under both spellings",
    async () => {
      const plain = await call(gw.client, "invoke", {
        tool_id: "everything::echo",
        arguments: { message: "hi" },
      });
      expect(plain.isError).toBe(false);
      expect(plain.text).toContain("hi");
      expect(plain.data).toMatchObject({ tool_id: "everything::echo", ok: true, truncated: false });
      const progress: unknown[] = [];
      const withToken = await call(
        dotted.client,
        "invoke",
        { tool_id: "everything::echo", arguments: { message: "again" } },
        { dotted: true, onprogress: (p) => progress.push(p) },
      );
      expect(withToken.isError).toBe(false);
      expect(withToken.text).toContain("again");
    },
    TIMEOUT,
  );
});
