import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mcpkitCommand } from "../helpers/mcpkit.ts";
import { gateway, scratch } from "./helpers.ts";

const TIMEOUT = 60_000;
const URI = "pmcp://guidance/code-execution";

function guidanceFile(home: string, text: string): string {
  mkdirSync(join(home, ".claude"), { recursive: true });
  const file = join(home, ".claude", "gateway-guidance.yaml");
  writeFileSync(file, text);
  return file;
}

describe("gateway guidance L3 resource", () => {
  it(
    "at the default level the code-execution guide is listed, readable and names the workflow and ptc",
    async () => {
      const s = scratch();
      const gw = await gateway([], s.env(), s.dir);
      try {
        expect(gw.client.getServerCapabilities()?.resources).toBeDefined();
        const list = await gw.client.listResources();
        const guide = list.resources.find((r) => r.uri === URI);
        expect(guide?.mimeType).toBe("text/markdown");
        expect(guide?.name).toBe("code-execution-guide");
        const read = await gw.client.readResource({ uri: URI });
        const text = String((read.contents[0] as { text?: string }).text);
        expect(text).toContain("gateway_catalog_search");
        expect(text).toContain("gateway_describe");
        expect(text).toContain("gateway_invoke");
        // No .mcp.json: the built-in ptc engine is served, and the guide says so.
        expect(text).toContain("This gateway serves the built-in `ptc` engine");
        expect(text).toContain("ptc::execute_program");
      } finally {
        await gw.close();
      }
    },
    TIMEOUT,
  );

  it(
    "the guide follows --tool-names dotted",
    async () => {
      const s = scratch();
      const gw = await gateway(["--tool-names", "dotted", "--guidance", "standard"], s.env(), s.dir);
      try {
        const read = await gw.client.readResource({ uri: URI });
        const text = String((read.contents[0] as { text?: string }).text);
        expect(text).toContain("gateway.invoke");
        expect(text).not.toContain("gateway_invoke");
      } finally {
        await gw.close();
      }
    },
    TIMEOUT,
  );

  it(
    "--guidance off lists no guide and reading it is an unknown resource",
    async () => {
      const s = scratch();
      const gw = await gateway(["--guidance", "off"], s.env(), s.dir);
      try {
        // The resources capability stays: downstream resources are proxied whatever the guidance level.
        const list = await gw.client.listResources();
        expect(list.resources.map((r) => r.uri)).not.toContain(URI);
        await expect(gw.client.readResource({ uri: URI })).rejects.toMatchObject({
          code: -32602,
          message: expect.stringMatching(/unknown resource/),
        });
      } finally {
        await gw.close();
      }
    },
    TIMEOUT,
  );

  it(
    "the guidance file's level applies, PMCP_GUIDANCE overrides it, and a layer switched off stays off",
    async () => {
      const s = scratch();
      guidanceFile(s.home, 'guidance:\n  level: "off"\n');
      const off = await gateway([], s.env(), s.dir);
      try {
        expect((await off.client.listResources()).resources.map((r) => r.uri)).not.toContain(URI);
      } finally {
        await off.close();
      }
      const on = await gateway([], s.env({ PMCP_GUIDANCE: "minimal" }), s.dir);
      try {
        const list = await on.client.listResources();
        expect(list.resources.map((r) => r.uri)).toContain(URI);
      } finally {
        await on.close();
      }
      guidanceFile(s.home, "guidance:\n  level: standard\n  layers:\n    methodology_resource: false\n");
      const noL3 = await gateway([], s.env(), s.dir);
      try {
        expect((await noL3.client.listResources()).resources.map((r) => r.uri)).not.toContain(URI);
      } finally {
        await noL3.close();
      }
    },
    TIMEOUT,
  );

  it(
    "a policy that denies the guide's URI leaves it out of resources/list",
    async () => {
      const s = scratch();
      const policy = join(s.dir, "policy.yaml");
      writeFileSync(policy, `resources:\n  denylist: ["pmcp::pmcp://guidance/*"]\n`);
      const gw = await gateway(["--policy", policy], s.env(), s.dir);
      try {
        expect((await gw.client.listResources()).resources.map((r) => r.uri)).not.toContain(URI);
      } finally {
        await gw.close();
      }
    },
    TIMEOUT,
  );

  it(
    "a malformed guidance file stops start-up with file, line and reason",
    () => {
      const s = scratch();
      const file = guidanceFile(s.home, "guidance:\n  level: minimal\n  layers:\n    code_hints: maybe\n");
      const cmd = mcpkitCommand();
      const r = spawnSync(cmd.command, [...cmd.args, "gateway"], {
        env: s.env(),
        cwd: s.dir,
        encoding: "utf8",
        input: "",
        timeout: 20_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${file}:4: guidance.layers.code_hints`);
    },
    TIMEOUT,
  );
});
