import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { connectHttp, mcpkitCommand, startHttp } from "../helpers/mcpkit.ts";
import { call, FAULTY, gateway, scratch, writeJson } from "./helpers.ts";

/** Spawning real servers is slow on shared machines; bun test defaults to 5 s. */
const TIMEOUT = 60_000;

function runGateway(args: string[], env: Record<string, string>, cwd: string) {
  const cmd = mcpkitCommand();
  const r = spawnSync(cmd.command, [...cmd.args, "gateway", ...args], {
    env,
    cwd,
    encoding: "utf8",
    input: "",
    timeout: 20_000,
  });
  return { code: r.status, stderr: r.stderr };
}

describe("gateway start-up", () => {
  it(
    "a malformed config stops start-up with file, line and reason",
    () => {
      const s = scratch();
      const bad = join(s.dir, "bad.mcp.json");
      writeFileSync(bad, '{\n  "mcpServers": {\n    "x": { "command": "node", }\n  }\n}\n');
      const r = runGateway(["--config", bad], s.env(), s.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${bad}:3`);
      expect(r.stderr).toContain("invalid JSON");
      const wrong = writeJson(join(s.dir, "wrong.mcp.json"), {
        mcpServers: { x: { command: "node", args: "oops" } },
      });
      const r2 = runGateway(["--config", wrong], s.env(), s.dir);
      expect(r2.code).toBe(2);
      expect(r2.stderr).toMatch(new RegExp(`${wrong}:\\d+: mcpServers\\.x\\.args`));
    },
    TIMEOUT,
  );

  it(
    "a malformed policy stops start-up with file, line and reason",
    () => {
      const s = scratch();
      const policy = join(s.dir, "policy.yaml");
      writeFileSync(policy, "servers:\n  denylist: []\nlimits:\n  max_output_bytes: lots\n");
      const r = runGateway(["--policy", policy], s.env(), s.dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${policy}:4: limits.max_output_bytes`);
      writeFileSync(policy, "servers:\n  blocklist: [a]\n");
      const r2 = runGateway(["--policy", policy], s.env(), s.dir);
      expect(r2.code).toBe(2);
      expect(r2.stderr).toContain(`${policy}:`);
      expect(r2.stderr).toContain("blocklist");
      const missing = runGateway(["--config", join(s.dir, "nope.json")], s.env(), s.dir);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("file not found");
    },
    TIMEOUT,
  );

  it(
    "discovers the project .mcp.json and answers the handshake without waiting for downstreams",
    async () => {
      const s = scratch();
      // An eager server that never finishes initialize: the client must not wait for it.
      writeJson(join(s.dir, ".mcp.json"), {
        autoStart: ["stuck"],
        mcpServers: { stuck: { command: "node", args: [FAULTY], env: { FAULTY_NEVER_READY: "1" } } },
      });
      const gw = await gateway([], s.env(), s.dir);
      try {
        const listed = await gw.client.listTools();
        expect(listed.tools).toHaveLength(16);
        const h = await call(gw.client, "health");
        expect(h.data.servers.map((x: any) => x.name)).toEqual(["stuck"]);
        expect(h.data.config_sources[0]).toBe(join(s.dir, ".mcp.json"));
      } finally {
        await gw.close();
      }
    },
    TIMEOUT,
  );

  it(
    "with no config serves the built-in servers in-process; dotted names on request",
    async () => {
      const s = scratch();
      const gw = await gateway(["--tool-names", "dotted"], s.env(), s.dir);
      try {
        const listed = await gw.client.listTools();
        expect(listed.tools.every((t) => t.name.startsWith("gateway."))).toBe(true);
        const h = await call(gw.client, "health", {}, { dotted: true });
        for (const row of h.data.servers) {
          expect(["pty", "ptc"]).toContain(row.name);
          expect(row.origin).toBe("builtin");
        }
      } finally {
        await gw.close();
      }
      const env = await gateway([], s.env({ PMCP_TOOL_NAMES: "dotted" }), s.dir);
      try {
        expect((await env.client.listTools()).tools[0]!.name).toMatch(/^gateway\./);
      } finally {
        await env.close();
      }
    },
    TIMEOUT,
  );

  it(
    "serves over Streamable HTTP",
    async () => {
      const s = scratch();
      const cfg = writeJson(join(s.dir, "c.mcp.json"), {
        mcpServers: { faulty: { command: "node", args: [FAULTY] } },
      });
      const proc = await startHttp(["gateway", "--config", cfg, "--transport", "http", "--port", "0"], {
        env: s.env(),
        cwd: s.dir,
      });
      try {
        const client = await connectHttp(proc.url);
        expect((await client.listTools()).tools).toHaveLength(16);
        const r = await call(client, "invoke", {
          tool_id: "faulty::echo_text",
          arguments: { text: "over http" },
        });
        expect(r.text).toBe("echo: over http");
        await client.close();
      } finally {
        await proc.stop();
      }
    },
    TIMEOUT,
  );
});
