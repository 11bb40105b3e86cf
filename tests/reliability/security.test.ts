// Security checks across the five servers: DNS rebinding, bearer auth, refused unauthenticated binds,
// resource-URI traversal (ptm), PTY owner/scope isolation and dangerous-command bypasses, the ptc
// sandbox, and secret canaries in everything the servers say.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpProcess, mcpkitCommand, type StdioSession } from "../helpers/mcpkit.ts";
import { CANARY, CanaryWatch, Counters, descendants, eventually, rawHttp, stillRunning } from "./harness.ts";
import { http, httpClient, prepare, probeOk, type Rig, SERVERS, stdio } from "./servers.ts";

const T = 90_000;
const counters = new Counters("security");
const watch = new CanaryWatch();
const rigs: Rig[] = [];
const procs: HttpProcess[] = [];
const sessions: StdioSession[] = [];

afterAll(async () => {
  for (const s of sessions) await s.close().catch(() => {});
  await Promise.all(procs.map((p) => p.stop("SIGTERM")));
  for (const r of rigs) await r.close();
  counters.flush();
}, T);

const raw = rawHttp;

const INIT = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "sec", version: "0" } },
});
const JSON_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

for (const name of SERVERS)
  describe(`${name} over HTTP: rebinding and bearer auth`, () => {
    let rig: Rig;
    let p: HttpProcess;
    beforeAll(async () => {
      rig = await prepare(name);
      rigs.push(rig);
      p = await http(rig, watch);
      procs.push(p);
    }, T);

    it(
      "bad Host or Origin → 403, wrong or missing token → 401, and a good client still works",
      async () => {
        const host = new URL(p.origin).host;
        const auth = { authorization: `Bearer ${CANARY.authToken}` };
        const cases: { headers: Record<string, string>; path?: string; method?: string; want: number }[] = [
          { headers: { ...JSON_HEADERS, ...auth, host: "evil.example" }, want: 403 },
          { headers: { ...JSON_HEADERS, ...auth, host: "127.0.0.1.nip.io" }, want: 403 },
          { headers: { ...JSON_HEADERS, ...auth, host: "localhost.evil.example:80" }, want: 403 },
          { headers: { ...JSON_HEADERS, ...auth, host: "[::2]" }, want: 403 },
          { headers: { ...JSON_HEADERS, ...auth, host, origin: "http://evil.example" }, want: 403 },
          { headers: { ...JSON_HEADERS, ...auth, host, origin: "http://127.0.0.1.evil.example" }, want: 403 },
          { headers: { ...JSON_HEADERS, ...auth, host, origin: "::not a url::" }, want: 403 },
          { headers: { ...auth, host: "evil.example" }, path: "/sse", method: "GET", want: 403 },
          { headers: { ...JSON_HEADERS, host }, want: 401 },
          { headers: { ...JSON_HEADERS, host, authorization: "Bearer wrong-token" }, want: 401 },
          { headers: { ...JSON_HEADERS, host, authorization: `Bearer ${CANARY.authToken}x` }, want: 401 },
          { headers: { ...JSON_HEADERS, host, authorization: `Basic ${CANARY.authToken}` }, want: 401 },
          { headers: { ...JSON_HEADERS, host, authorization: "Bearer " }, want: 401 },
          { headers: { ...JSON_HEADERS, host }, path: `/mcp?token=${CANARY.authToken}`, want: 401 },
          { headers: { host }, path: "/sse", method: "GET", want: 401 },
          { headers: { ...JSON_HEADERS, host }, path: "/messages?sessionId=x", want: 401 },
        ];
        for (const c of cases) {
          const r = await raw(p.origin, { ...c, body: INIT });
          watch.seen(r.body);
          counters.add("securityChecks");
          expect(r.status, JSON.stringify(c.headers)).toBe(c.want);
        }
        // Health stays open and says nothing secret; a correct client still gets served.
        const h = await raw(p.origin, { path: "/healthz", method: "GET", headers: { host } });
        expect(h.status).toBe(200);
        watch.seen(h.body);
        const client = await httpClient(p);
        expect(await probeOk(client, rig.probe, watch)).toBe(true);
        await client.close();
      },
      T,
    );
  });

describe("unauthenticated non-loopback bind", () => {
  for (const name of SERVERS)
    it(
      `${name} refuses --host 0.0.0.0 without a token and names the fix`,
      async () => {
        const rig = await prepare(name);
        rigs.push(rig);
        const cmd = mcpkitCommand();
        const env = { ...rig.env };
        for (const k of Object.keys(env)) if (/AUTH_TOKEN$/.test(k)) delete env[k];
        const child = spawn(
          cmd.command,
          [...cmd.args, ...rig.args, "--transport", "http", "--host", "0.0.0.0", "--port", "0"],
          { env, cwd: rig.cwd, stdio: ["ignore", "pipe", "pipe"] },
        );
        let err = "";
        child.stderr.on("data", (d: Buffer) => {
          err += d.toString();
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
        clearTimeout(timer);
        watch.seen(err);
        counters.add("securityChecks");
        expect(err).not.toMatch(/listening on/);
        expect(code).toBe(2);
        expect(err).toMatch(/refusing to listen on 0\.0\.0\.0 without a token/);
      },
      T,
    );
});

describe("ptm resource templates reject path traversal", () => {
  it(
    "every `..` variant is an error and never reaches the backend",
    async () => {
      const rig = await prepare("ptm");
      rigs.push(rig);
      const s = await stdio(rig, watch);
      sessions.push(s);
      const bad = [
        "ptm://prompts/..",
        "ptm://prompts/../runs/run_done1/report.md",
        "ptm://prompts/..%2f..%2fauth%2fme",
        "ptm://prompts/%2e%2e",
        "ptm://prompts/%2E%2E%2Fmeta",
        "ptm://prompts/team.summarizer/v1/../../../auth/me",
        "ptm://prompts/team..summarizer/../x",
        "ptm://runs/../prompts/report.md",
        "ptm://runs/..%2F..%2Fmeta/report.md",
        "ptm://runs/%2e%2e/report.html",
        "ptm://optimizations/../../auth/me/report.md",
        "ptm://optimizations/%2e%2e%2f%2e%2e/report.md",
        "ptm://prompts/..\\..\\meta",
        "ptm://prompts/%252e%252e",
      ];
      const before = rig.ptm!.requests.length;
      for (const uri of bad) {
        counters.add("securityChecks");
        let failed = false;
        try {
          const r = await s.client.readResource({ uri });
          watch.seen(r);
        } catch (err) {
          watch.seen(err);
          failed = true;
        }
        expect(failed, uri).toBe(true);
      }
      const reached = rig.ptm!.requests.slice(before).map((r) => r.path);
      expect(reached.filter((path) => /\.\.|%2e%2e/i.test(path))).toEqual([]);
      // A legitimate read still works.
      const ok = await s.client.readResource({ uri: "ptm://prompts/team.summarizer" });
      expect(JSON.stringify(ok)).toContain("team.summarizer");
    },
    T,
  );
});

describe("pty isolation and dangerous commands", () => {
  let s: StdioSession;
  let c: Client;
  beforeAll(async () => {
    const rig = await prepare("pty");
    rigs.push(rig);
    s = await stdio(rig, watch);
    sessions.push(s);
    c = s.client;
  }, T);

  const call = async (name: string, args: Record<string, unknown>) => {
    const r = (await c.callTool({ name, arguments: args })) as {
      isError?: boolean;
      content: { text: string }[];
      structuredContent?: Record<string, unknown>;
    };
    watch.seen(r);
    return r;
  };

  it(
    "another owner, a look-alike owner or no owner cannot touch a session, whatever the tool",
    async () => {
      const spawned = await call("pty_spawn", { command: "cat", owner: "alice", scope: "control" });
      expect(spawned.isError).toBeFalsy();
      const id = spawned.content[0]!.text;
      const intruders: (string | undefined)[] = [
        "bob",
        "ALICE",
        "alice ",
        " alice",
        "alice\u0000",
        "al\u0131ce",
        "аlice",
        "*",
        "",
        undefined,
      ];
      const tools: [string, Record<string, unknown>][] = [
        ["pty_read", {}],
        ["pty_write", { data: "x" }],
        ["pty_status", {}],
        ["pty_resize", { cols: 10, rows: 10 }],
        ["pty_signal", { sig: "TERM" }],
        ["pty_attach", { client_id: "mallory" }],
        ["pty_screen", {}],
        ["pty_wait", { timeout_ms: 0 }],
        ["pty_close", {}],
      ];
      for (const owner of intruders) {
        for (const [tool, extra] of tools) {
          counters.add("securityChecks");
          const r = await call(tool, {
            session_id: id,
            ...extra,
            ...(owner === undefined ? {} : { owner }),
          });
          expect(r.isError, `${tool} as ${JSON.stringify(owner)}`).toBe(true);
        }
        if (owner) {
          const listed = await call("pty_list", { owner });
          expect(JSON.stringify(listed)).not.toContain(id);
        }
      }
      // Scope: a read-only session refuses writes and signals even to its owner.
      const ro = await call("pty_spawn", { command: "cat", owner: "alice", scope: "read-only" });
      const roId = ro.content[0]!.text;
      for (const [tool, extra] of [
        ["pty_write", { data: "x" }],
        ["pty_signal", { sig: "KILL" }],
        ["pty_close", {}],
      ] as const) {
        counters.add("securityChecks");
        expect((await call(tool, { session_id: roId, owner: "alice", ...extra })).isError).toBe(true);
      }
      // The owner still can.
      expect((await call("pty_status", { session_id: id, owner: "alice" })).isError).toBeFalsy();
      expect((await call("pty_close_all", {})).isError).toBeFalsy();
    },
    T,
  );

  // Never spawned: only screened, or typed into `cat`, which merely echoes them.
  const BYPASSES = [
    "rm -rf /",
    "  rm   -rf    /",
    "sudo rm -rf /",
    "sudo -u root rm -rf /",
    "/bin/rm -rf /",
    "/usr/bin/rm -rf /*",
    "rm -rf -- /",
    "true; rm -rf /",
    "true && rm -rf ~",
    "$(rm -rf /)",
    "`rm -rf /`",
    "bash -c 'rm -rf /'",
    'sh -c "rm -rf /"',
    "eval 'rm -rf /'",
    "r\\m -rf /",
    "'rm' -rf /",
    '"rm" -rf /',
    'rm -rf "/"',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, not a template
    "rm${IFS}-rf${IFS}/",
    "{ rm -rf /; }",
    "(rm -rf /)",
    "env rm -rf /",
    "nice rm -rf /",
    "rm\t-rf\t/",
    "rm --recursive --force /",
    "rm -rf /\u0000ignored",
    "rm -rf / \\\n",
    "FOO=1 rm -rf /",
    "dd of=/dev/sda if=/dev/zero",
    "mkfs.ext4 /dev/sdb",
    "/sbin/mkfs -t ext4 /dev/sda",
    "/sbin/reboot",
    "sudo shutdown -h now",
    ":(){ :|:& };:",
    "chmod -R 777 /",
    "cat /dev/zero > /dev/sda",
  ];

  it(
    "quoting, full paths, wrappers and shells do not slip a dangerous command past the screen",
    async () => {
      const missed: string[] = [];
      for (const command of BYPASSES) {
        counters.add("securityChecks");
        const r = await call("confirm_dangerous_command", { command, owner: "ops" });
        if (r.structuredContent?.dangerous !== true) missed.push(command);
      }
      expect(missed).toEqual([]);
      // Mentions stay allowed.
      for (const command of ["echo reboot", "grep shutdown log.txt", "ls -la /", "rm -rf ./build"]) {
        const r = await call("confirm_dangerous_command", { command });
        expect(r.structuredContent?.dangerous, command).toBe(false);
      }
    },
    T,
  );

  it(
    "typed into a running session, split across writes or with a forged token, they are refused",
    async () => {
      const O = { owner: "ops" };
      const id = (await call("pty_spawn", { command: "cat", ...O })).content[0]!.text;
      for (const line of ["rm -rf /\r", "/bin/rm -rf /\n", "'rm' -rf /\r"]) {
        counters.add("securityChecks");
        const r = await call("pty_write", { session_id: id, ...O, data: line });
        expect(r.isError, JSON.stringify(line)).toBe(true);
        expect(r.content[0]!.text).toMatch(/dangerous/);
      }
      counters.add("securityChecks");
      await call("pty_write", { session_id: id, ...O, data: "rm -rf " });
      const tail = await call("pty_write", { session_id: id, ...O, data: "/\r" });
      expect(tail.isError, "a dangerous line assembled from two writes").toBe(true);
      for (const token of ["dc_00000000000000000000000000000000", "", "dc_", "../dc_x"]) {
        counters.add("securityChecks");
        const r = await call("pty_write", {
          session_id: id,
          ...O,
          data: "rm -rf /\r",
          dangerous_confirm_token: token,
        });
        expect(r.isError).toBe(true);
      }
      // A token issued for another owner or another command does not transfer.
      const tok = (await call("confirm_dangerous_command", {
        command: "rm -rf /",
        justification: "reliability suite",
        owner: "someone-else",
      })) as { structuredContent?: { confirm_token?: string } };
      counters.add("securityChecks");
      expect(
        (
          await call("pty_write", {
            session_id: id,
            ...O,
            data: "rm -rf /\r",
            dangerous_confirm_token: tok.structuredContent?.confirm_token,
          })
        ).isError,
      ).toBe(true);
      const pid = s.pid!;
      const kids = descendants(pid);
      expect((await call("pty_close_all", {})).isError).toBeFalsy();
      expect(await eventually(() => stillRunning(kids).length === 0)).toBe(true);
    },
    T,
  );
});

describe("ptc sandbox", () => {
  let c: Client;
  let trap: Server;
  let trapHits = 0;
  let trapUrl = "";
  beforeAll(async () => {
    trap = createServer((_req, res) => {
      trapHits += 1;
      res.end("trap");
    });
    await new Promise<void>((r) => trap.listen(0, "127.0.0.1", r));
    trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/`;
    const rig = await prepare("ptc");
    rigs.push(rig);
    const s = await stdio(rig, watch);
    sessions.push(s);
    c = s.client;
  }, T);
  afterAll(async () => {
    trap?.closeAllConnections();
    await new Promise<void>((r) => (trap ? trap.close(() => r()) : r()));
  });

  const run = async (code: string) => {
    const r = (await c.callTool({ name: "execute_program", arguments: { code } })) as {
      isError?: boolean;
      content: { text: string }[];
      structuredContent?: { ok: boolean; output: string; result: unknown; error: string | null };
    };
    watch.seen(r);
    return r;
  };

  it(
    "no host object, module loader, network or environment is reachable from a program",
    async () => {
      const escapes = [
        'const p = this.constructor.constructor("return process")(); p.exit(1)',
        'const p = this.constructor.constructor("return process")(); console.log(p.env)',
        "const p = (function(){}).constructor('return this')(); console.log(typeof p.process, typeof p.require, typeof p.Bun, typeof p.Deno)",
        'const fs = await import("fs"); console.log(fs.readFileSync("/etc/passwd", "utf8"))',
        'const os = await import("os"); console.log(os.getenviron ? JSON.stringify(os.getenviron()) : "no")',
        'const std = await import("std"); console.log(std.getenviron ? JSON.stringify(std.getenviron()) : "no")',
        'require("child_process").execSync("id")',
        `const r = await fetch(${JSON.stringify(trapUrl)}); console.log(await r.text())`,
        `const x = new XMLHttpRequest(); x.open("GET", ${JSON.stringify(trapUrl)}); x.send()`,
        `new WebSocket(${JSON.stringify(trapUrl.replace("http", "ws"))})`,
        "console.log(JSON.stringify(Object.getOwnPropertyNames(globalThis)))",
        "Error.prepareStackTrace = (e, s) => s[0].getThis(); console.log(typeof new Error().stack)",
        "console.log([].constructor.constructor('return typeof process')())",
        "console.log(typeof globalThis.process + typeof globalThis.require + typeof globalThis.module)",
        "console.log(typeof SharedArrayBuffer, typeof Atomics, typeof WebAssembly)",
      ];
      for (const code of escapes) {
        counters.add("securityChecks");
        const r = await run(code);
        const text = JSON.stringify(r);
        // The program may fail or print "undefined": it must never see the host.
        expect(text, code).not.toMatch(/root:x:0:0|uid=\d+|"PATH"|PTC_MCP_CONFIG|"function"/);
        expect(text).not.toContain(CANARY.downstream);
      }
      expect(trapHits).toBe(0);
      // The sandbox still runs ordinary programs and calls tools.
      const ok = await run("const r = await mcp__mock__add({a: 2, b: 3}); console.log(JSON.stringify(r))");
      expect(ok.isError, JSON.stringify(ok)).toBeFalsy();
      expect(ok.structuredContent?.output).toContain("5");
      const hostTypes = await run(
        "console.log(typeof process, typeof require, typeof fetch, typeof Bun, typeof Deno)",
      );
      expect(hostTypes.structuredContent?.output.trim()).toBe(
        "undefined undefined undefined undefined undefined",
      );
    },
    T,
  );
});

describe("secret canaries", () => {
  it("appear 0 times in every stderr line, error and result of this file", () => {
    const { hits, bytes } = watch.scan(counters);
    expect(bytes).toBeGreaterThan(0);
    expect(hits).toEqual([]);
  });
});
