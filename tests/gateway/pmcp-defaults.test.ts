// Started through the name `pmcp` (a link named pmcp, or `mcpkit pmcp`), the gateway takes PMCP's
// defaults: dotted meta-tool names, PMCP_TRANSPORT/HOST/PORT/LOG_LEVEL, PMCP's short flags, and `setup`
// writing a `pmcp` entry for a shared HTTP service. `mcpkit gateway` keeps its own; flags and env win.
import { mkdirSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, describe, expect, it } from "vitest";
import { connectHttp, connectStdio, ROOT, startHttp } from "../helpers/mcpkit.ts";
import { mcpkit } from "./cli-helpers.ts";
import { call, scratch, writeJson } from "./helpers.ts";

const TIMEOUT = 60_000;
const s = scratch();
// An empty config keeps the built-ins (pty, ptc) from being mounted: these tests are about names.
const config = writeJson(join(s.dir, "empty.mcp.json"), { mcpServers: { x: { command: "true" } } });
const policy = writeJson(join(s.dir, "deny-x.json"), { servers: { denylist: ["x"] } });
const base = ["--config", config, "--policy", policy];
const closers: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const c of closers) await c().catch(() => {});
}, TIMEOUT);

/** A directory holding a link named `pmcp` to the Node bundle, as `npm i -g` or link-aliases would make. */
function pmcpLink(): string {
  const bin = join(s.dir, "bin");
  mkdirSync(bin, { recursive: true });
  const link = join(bin, "pmcp");
  try {
    symlinkSync(resolve(ROOT, "dist/mcpkit.mjs"), link);
  } catch {
    // Already made by an earlier test.
  }
  return link;
}

async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((t) => t.name).sort();
}

describe("pmcp is PMCP", () => {
  it(
    "a link named pmcp serves gateway.<verb> tools, and they answer under those names",
    async () => {
      const transport = new StdioClientTransport({
        command: pmcpLink(),
        args: base,
        env: s.env(),
        cwd: s.dir,
        stderr: "pipe",
      });
      const client = new Client({ name: "pmcp-test", version: "0" });
      await client.connect(transport);
      closers.push(() => client.close());
      const names = await toolNames(client);
      expect(names).toContain("gateway.invoke");
      expect(names).toContain("gateway.catalog_search");
      expect(names).toContain("gateway.provision");
      expect(names.every((n) => n.startsWith("gateway."))).toBe(true);
      const health = await call(client, "health", {}, { dotted: true });
      expect(health.isError).toBe(false);
      const bad = await call(client, "describe", { tool_id: "nope::x" }, { dotted: true });
      // The next step it names uses the dotted spelling too.
      expect(bad.text).toContain("gateway.");
      expect(bad.text).not.toContain("gateway_");
    },
    TIMEOUT,
  );

  it(
    "`mcpkit pmcp` is PMCP too; `mcpkit gateway` keeps gateway_<verb>",
    async () => {
      const viaAlias = await connectStdio(["pmcp", ...base], { env: s.env(), cwd: s.dir });
      closers.push(() => viaAlias.close());
      const viaGateway = await connectStdio(["gateway", ...base], { env: s.env(), cwd: s.dir });
      closers.push(() => viaGateway.close());
      const dotted = await toolNames(viaAlias.client);
      const plain = await toolNames(viaGateway.client);
      expect(dotted).toContain("gateway.invoke");
      expect(plain).toContain("gateway_invoke");
      expect(plain.some((n) => n.startsWith("gateway."))).toBe(false);
      // Same tools, only the separator differs.
      expect(dotted.map((n) => n.replace("gateway.", ""))).toEqual(
        plain.map((n) => n.replace("gateway_", "")),
      );
    },
    TIMEOUT,
  );

  it(
    "an explicit --tool-names or PMCP_TOOL_NAMES still wins under the name pmcp",
    async () => {
      const flag = await connectStdio(["pmcp", ...base, "--tool-names", "default"], {
        env: s.env(),
        cwd: s.dir,
      });
      closers.push(() => flag.close());
      expect(await toolNames(flag.client)).toContain("gateway_invoke");
      const env = await connectStdio(["pmcp", ...base], {
        env: s.env({ PMCP_TOOL_NAMES: "default" }),
        cwd: s.dir,
      });
      closers.push(() => env.close());
      expect(await toolNames(env.client)).toContain("gateway_invoke");
      const dotted = await connectStdio(["gateway", ...base, "--tool-names", "dotted"], {
        env: s.env(),
        cwd: s.dir,
      });
      closers.push(() => dotted.close());
      expect(await toolNames(dotted.client)).toContain("gateway.invoke");
    },
    TIMEOUT,
  );

  it(
    "PMCP_TRANSPORT and PMCP_PORT choose the transport and port under pmcp; flags and MCPKIT_* win; bad values name the variable",
    async () => {
      const http = await startHttp(["pmcp", ...base, "--port", "0", "--log-level", "warn"], {
        env: s.env({ PMCP_TRANSPORT: "http" }),
        cwd: s.dir,
      });
      closers.push(() => http.stop());
      const client = await connectHttp(http.url);
      closers.push(() => client.close());
      expect(await toolNames(client)).toContain("gateway.invoke");

      // The flag beats PMCP_PORT: a port 0 listener comes up although PMCP_PORT names a bad port.
      const flagWins = await startHttp(
        ["pmcp", ...base, "--transport", "http", "--port", "0", "--lock-dir", join(s.dir, "lock2")],
        {
          env: s.env({ PMCP_PORT: "1" }),
          cwd: s.dir,
        },
      );
      closers.push(() => flagWins.stop());
      expect(new URL(flagWins.url).port).not.toBe("1");

      const bad = mcpkit(
        ["pmcp", ...base, "--transport", "http"],
        s.env({ PMCP_PORT: "not-a-port-x7" }),
        s.dir,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("PMCP_PORT");
      expect(bad.stderr).not.toContain("not-a-port-x7");
      const level = mcpkit(["pmcp", ...base], s.env({ PMCP_LOG_LEVEL: "loud" }), s.dir);
      expect(level.code).toBe(2);
      expect(level.stderr).toContain("PMCP_LOG_LEVEL: expected one of");
      // PMCP_PORT is not one of the variables `mcpkit gateway` names.
      const ignored = mcpkit(
        ["gateway", ...base, "--transport", "http", "--port", "0", "--help"],
        s.env({ PMCP_PORT: "not-a-port-x7" }),
        s.dir,
      );
      expect(ignored.code).toBe(0);
      expect(ignored.stdout).not.toContain("PMCP_PORT");
    },
    TIMEOUT,
  );

  it(
    "PMCP's short flags: -p is --project and -c is --config under pmcp (-p stays --port for mcpkit gateway)",
    () => {
      const proj = join(s.dir, "proj");
      mkdirSync(proj, { recursive: true });
      writeJson(join(proj, ".mcp.json"), { mcpServers: { projsvc: { command: "node", args: ["x.js"] } } });
      const extra = writeJson(join(s.dir, "extra.mcp.json"), {
        mcpServers: { extrasvc: { command: "node", args: ["y.js"] } },
      });
      const r = mcpkit(["pmcp", "-p", proj, "-c", extra, "status", "--json"], s.env(), s.dir);
      expect(r.code).toBe(0);
      const names = JSON.parse(r.stdout).servers.map((x: { name: string }) => x.name);
      expect(names).toContain("projsvc");
      expect(names).toContain("extrasvc");
      const g = mcpkit(["gateway", "-p", proj, "status", "--json"], s.env(), s.dir);
      expect(g.code).toBe(2);
      expect(g.stderr).toContain("port");
    },
    TIMEOUT,
  );

  it(
    "pmcp setup writes PMCP's entry: name pmcp, shared HTTP service by default, stdio launching pmcp",
    () => {
      const http = mcpkit(["pmcp", "setup", "--client", "claude"], s.env(), s.dir);
      expect(http.code).toBe(0);
      expect(http.stdout).toContain("--transport http");
      expect(http.stdout).toContain(" pmcp http://127.0.0.1:3344/mcp");
      const stdio = mcpkit(["pmcp", "setup", "--client", "claude", "--mode", "stdio"], s.env(), s.dir);
      expect(stdio.code).toBe(0);
      expect(stdio.stdout.trim()).toMatch(/ pmcp -- .* pmcp$/);
      const gw = mcpkit(["gateway", "setup", "--client", "claude"], s.env(), s.dir);
      expect(gw.code).toBe(0);
      expect(gw.stdout.trim()).toMatch(/ mcpkit-gateway -- .* gateway$/);
    },
    TIMEOUT,
  );

  it(
    "pmcp's own commands speak of pmcp and gateway.<verb>; mcpkit gateway's of itself",
    () => {
      const status = mcpkit(["pmcp", "status"], s.env(), s.dir);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain("ask it with gateway.health");
      const own = mcpkit(["gateway", "status"], s.env(), s.dir);
      expect(own.stdout).toContain("ask it with gateway_health");
      const proj = join(s.dir, "init-proj");
      mkdirSync(proj, { recursive: true });
      const init = mcpkit(["pmcp", "init", "--project", proj, "--add", "github"], s.env(), s.dir);
      expect(init.code).toBe(0);
      expect(init.stdout).toContain("pmcp secrets set GITHUB_PERSONAL_ACCESS_TOKEN");
      expect(init.stdout).toContain("check it with: pmcp doctor");
      const gone = mcpkit(["pmcp", "init", "--project", proj, "--force", "--add", "okta"], s.env(), s.dir);
      expect(gone.code).toBe(2);
      expect(gone.stderr).toContain("--add okta: not available");
    },
    TIMEOUT,
  );
});
