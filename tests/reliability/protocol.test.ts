// Protocol fuzzing: malformed frames on stdio (garbage, partial lines, a very large line, invalid
// UTF-8, requests before initialize, duplicate ids) and on HTTP (bad JSON, wrong content types,
// missing or forged session ids, oversized bodies, slow clients). Every server must reject or ignore
// them, never crash or hang, and keep serving other sessions.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { type HttpProcess, mcpkitCommand } from "../helpers/mcpkit.ts";
import { CANARY, CanaryWatch, Counters, HANG_MS, rawHttp, SIZES, sleep, withinHang } from "./harness.ts";
import { http, httpClient, prepare, probeOk, type Rig, SERVERS } from "./servers.ts";

const T = HANG_MS * 4;
const counters = new Counters("protocol");
const watch = new CanaryWatch();
const rigs: Rig[] = [];
const procs: HttpProcess[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await Promise.all(procs.map((p) => p.stop("SIGTERM")));
  for (const r of rigs) await r.close();
  counters.flush();
}, T);

/** The server over raw stdio: we write bytes and read JSON-RPC lines ourselves. */
class RawStdio {
  readonly child: ChildProcessWithoutNullStreams;
  readonly messages: Record<string, unknown>[] = [];
  stdoutNoise = "";
  stderr = "";
  private buf = "";
  readonly exited: Promise<number | string | null>;

  constructor(rig: Rig) {
    const cmd = mcpkitCommand();
    this.child = spawn(cmd.command, [...cmd.args, ...rig.args], { env: rig.env, cwd: rig.cwd });
    children.push(this.child);
    this.exited = new Promise((r) => this.child.once("exit", (c, s) => r(c ?? s)));
    this.child.stdin.on("error", () => {});
    this.child.stderr.on("data", (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.child.stdout.on("data", (d: Buffer) => {
      this.buf += d.toString();
      let nl = this.buf.indexOf("\n");
      while (nl >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        watch.seen(line);
        try {
          this.messages.push(JSON.parse(line));
        } catch {
          this.stdoutNoise += `${line}\n`;
        }
        nl = this.buf.indexOf("\n");
      }
    });
    watch.stream(() => this.stderr);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((r) => {
      if (!this.child.stdin.write(data)) this.child.stdin.once("drain", () => r());
      else r();
    });
  }

  send(msg: Record<string, unknown>): Promise<void> {
    return this.write(`${JSON.stringify({ jsonrpc: "2.0", ...msg })}\n`);
  }

  async answer(id: unknown): Promise<Record<string, unknown>> {
    return withinHang(
      (async () => {
        for (;;) {
          const m = this.messages.find((x) => x.id === id && ("result" in x || "error" in x));
          if (m) return m;
          if (!this.alive) throw new Error(`server exited (${this.child.exitCode}) before answering ${id}`);
          await sleep(10);
        }
      })(),
      `stdio answer to ${String(id)}`,
    );
  }
}

const INIT_PARAMS = {
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "protocol-fuzz", version: "0" },
};

for (const name of SERVERS) {
  describe(`${name} over stdio: malformed frames`, () => {
    it(
      "garbage, partial and huge lines, invalid UTF-8, early requests and duplicate ids leave it serving",
      async () => {
        const rig = await prepare(name);
        rigs.push(rig);
        const s = new RawStdio(rig);
        let sent = 0;
        const frame = async (data: string | Buffer) => {
          sent += 1;
          await s.write(data);
        };
        // Before initialize.
        await frame(`${JSON.stringify({ jsonrpc: "2.0", id: "early-1", method: "tools/list" })}\n`);
        await frame(
          `${JSON.stringify({ jsonrpc: "2.0", id: "early-2", method: "tools/call", params: { name: rig.probe.tool, arguments: rig.probe.args } })}\n`,
        );
        const garbage: (string | Buffer)[] = [
          "garbage\n",
          "{\n",
          "}{}\n",
          "[]\n",
          "null\n",
          "12345\n",
          '"just a string"\n',
          '{"jsonrpc":"2.0"}\n',
          '{"jsonrpc":"1.0","id":1,"method":"ping"}\n',
          '{"jsonrpc":"2.0","id":{"nested":true},"method":"ping"}\n',
          '{"jsonrpc":"2.0","id":null,"method":"tools/list"}\n',
          '{"jsonrpc":"2.0","method":42}\n',
          '{"jsonrpc":"2.0","id":7,"result":{"unsolicited":true}}\n',
          '{"jsonrpc":"2.0","id":8,"error":{"code":1,"message":"unsolicited"}}\n',
          "\uFEFF{}\n",
          "\n\n\n",
          "\r\n",
          Buffer.from([0xff, 0xfe, 0x80, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x0a]),
          Buffer.concat([
            Buffer.from('{"jsonrpc":"2.0","id":"u8","method":"ping","x":"'),
            Buffer.from([0xc3, 0x28]),
            Buffer.from('"}\n'),
          ]),
          `${"[".repeat(SIZES.nestingDepth * 10)}${"]".repeat(SIZES.nestingDepth * 10)}\n`,
          '{"jsonrpc":"2.0","id":"part',
          'ial","method":"ping"}\n',
          `{"jsonrpc":"2.0","id":"big","method":"ping","params":{"pad":"${"x".repeat(SIZES.largeLineBytes)}"}}\n`,
          // Over the 10 MB line limit in every mode: dropped, not fatal.
          `${"z".repeat(Math.max(SIZES.largeLineBytes, 11 * 1024 * 1024))}\n`,
        ];
        for (const g of garbage) await frame(g);
        // Now initialize properly.
        await frame(
          `${JSON.stringify({ jsonrpc: "2.0", id: "init", method: "initialize", params: INIT_PARAMS })}\n`,
        );
        const init = await s.answer("init");
        expect(init.result, JSON.stringify(init)).toBeTruthy();
        await s.send({ method: "notifications/initialized" });
        // Duplicate ids, an unknown method, and a bad tools/call.
        const call = { name: rig.probe.tool, arguments: rig.probe.args };
        await frame(`${JSON.stringify({ jsonrpc: "2.0", id: "dup", method: "tools/call", params: call })}\n`);
        await frame(`${JSON.stringify({ jsonrpc: "2.0", id: "dup", method: "tools/call", params: call })}\n`);
        await frame(`${JSON.stringify({ jsonrpc: "2.0", id: "nope", method: "no/such/method" })}\n`);
        await frame(
          `${JSON.stringify({ jsonrpc: "2.0", id: "badcall", method: "tools/call", params: { name: 42 } })}\n`,
        );
        await s.answer("dup");
        const nope = await s.answer("nope");
        expect((nope.error as { code: number }).code).toBe(-32601);
        expect((await s.answer("badcall")).error).toBeTruthy();
        // Still serving: a valid call answers without error.
        await s.send({ id: "final", method: "tools/call", params: call });
        const final = await s.answer("final");
        expect((final.result as { isError?: boolean }).isError, JSON.stringify(final)).toBeFalsy();
        expect(s.alive).toBe(true);
        // stdout carried only JSON-RPC.
        expect(s.stdoutNoise).toBe("");
        counters.add("framesSent", sent);
        counters.add("framesSurvived", sent);
        // And it exits on EOF without hanging.
        s.child.stdin.end();
        const code = await withinHang(s.exited, `${name} exit on stdin EOF`);
        expect(code).toBe(0);
      },
      T,
    );
  });
}

/** A raw HTTP exchange on a fresh socket, failing the test if the server hangs. */
const raw = (origin: string, opts: Parameters<typeof rawHttp>[1]) =>
  withinHang(rawHttp(origin, opts), "raw http request");

const INIT = (id: number | string = 1) =>
  JSON.stringify({ jsonrpc: "2.0", id, method: "initialize", params: INIT_PARAMS });

for (const name of SERVERS) {
  describe(`${name} over HTTP: malformed requests`, () => {
    it(
      "bad JSON, content types, session ids, oversized bodies and slow clients are refused while another session keeps working",
      async () => {
        const rig = await prepare(name);
        rigs.push(rig);
        const p = await http(rig, watch, ["--max-body-bytes", String(1024 * 1024)]);
        procs.push(p);
        const good = await httpClient(p);
        expect(await probeOk(good, rig.probe, watch)).toBe(true);
        const auth = { authorization: `Bearer ${CANARY.authToken}` };
        const J = {
          ...auth,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        };
        const cases: {
          what: string;
          method?: string;
          path?: string;
          headers: Record<string, string>;
          body?: string | Buffer;
          want: (status: number) => boolean;
        }[] = [
          { what: "bad json", headers: J, body: "{not json", want: (s) => s === 400 },
          { what: "empty body", headers: J, body: "", want: (s) => s === 400 },
          { what: "json null", headers: J, body: "null", want: (s) => s === 400 },
          { what: "batch of junk", headers: J, body: "[1,2,3]", want: (s) => s === 400 },
          {
            what: "invalid utf-8",
            headers: J,
            body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
            want: (s) => s === 400,
          },
          {
            what: "text/plain",
            headers: { ...J, "content-type": "text/plain" },
            body: INIT(),
            want: (s) => s >= 400 && s < 500,
          },
          {
            what: "form content type",
            headers: { ...J, "content-type": "application/x-www-form-urlencoded" },
            body: INIT(),
            want: (s) => s >= 400 && s < 500,
          },
          {
            what: "no accept",
            headers: { ...auth, "content-type": "application/json" },
            body: INIT(),
            want: (s) => s === 406,
          },
          {
            what: "no session id",
            headers: J,
            body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
            want: (s) => s === 400,
          },
          {
            what: "forged session id",
            headers: { ...J, "mcp-session-id": "00000000-0000-4000-8000-000000000000" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
            want: (s) => s === 404,
          },
          {
            what: "session id of junk",
            headers: { ...J, "mcp-session-id": "../../etc/passwd\u00e9" },
            body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
            want: (s) => s === 404 || s === 400,
          },
          // Without a session a GET is no 2025-era stream; the stateless 2026-07-28 side answers 405.
          { what: "GET no session", method: "GET", headers: auth, want: (s) => s === 405 },
          {
            what: "DELETE forged",
            method: "DELETE",
            headers: { ...auth, "mcp-session-id": "forged" },
            want: (s) => s === 404,
          },
          { what: "PUT", method: "PUT", headers: J, body: INIT(), want: (s) => s === 405 },
          { what: "unknown path", path: "/nope", headers: J, body: INIT(), want: (s) => s === 404 },
          {
            what: "messages without sse",
            path: "/messages?sessionId=forged",
            headers: J,
            body: INIT(),
            want: (s) => s === 404,
          },
          {
            what: "oversized body",
            headers: J,
            body: `{"pad":"${"x".repeat(2 * 1024 * 1024)}"}`,
            want: (s) => s === 413,
          },
          {
            what: "lying content-length",
            headers: { ...J, "content-length": String(50 * 1024 * 1024) },
            body: "{}",
            want: (s) => s === 413,
          },
          {
            what: "huge header",
            headers: { ...J, "x-junk": "y".repeat(64 * 1024) },
            body: INIT(),
            want: (s) => s === 431 || s === 400,
          },
        ];
        let sent = 0;
        for (const c of cases) {
          sent += 1;
          let status = 0;
          try {
            const r = await raw(p.origin, c);
            watch.seen(r.body);
            status = r.status;
          } catch (err) {
            // The server may cut a refused upload short; what matters is that it keeps serving.
            if (!/ECONNRESET|EPIPE|socket hang up/.test(String(err))) throw err;
            status = c.what === "oversized body" ? 413 : c.what === "huge header" ? 431 : 0;
          }
          expect(c.want(status), `${c.what}: HTTP ${status}`).toBe(true);
          expect(await probeOk(good, rig.probe)).toBe(true);
        }
        // Slow clients: half-sent headers and a body that trickles in, while the good session works.
        const u = new URL(p.origin);
        const sockets: Socket[] = [];
        for (let i = 0; i < 20; i++) {
          const sock = connect(Number(u.port), u.hostname);
          sock.on("error", () => {});
          sock.write(`POST /mcp HTTP/1.1\r\nHost: ${u.host}\r\nX-Slow: `);
          sockets.push(sock);
        }
        const trickle = connect(Number(u.port), u.hostname);
        trickle.on("error", () => {});
        const body = INIT("slow");
        trickle.write(
          `POST /mcp HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: ${auth.authorization}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        let reply = "";
        trickle.on("data", (d: Buffer) => {
          reply += d.toString();
        });
        for (let i = 0; i < body.length; i += Math.ceil(body.length / 10)) {
          trickle.write(body.slice(i, i + Math.ceil(body.length / 10)));
          expect(await probeOk(good, rig.probe)).toBe(true);
          await sleep(50);
        }
        sent += 21;
        const done = await withinHang(
          (async () => {
            while (!/\r\n\r\n/.test(reply)) await sleep(20);
            return reply;
          })(),
          "slow client answer",
        );
        expect(done).toMatch(/^HTTP\/1\.1 200/);
        for (const sock of [...sockets, trickle]) sock.destroy();
        // The good session and a brand-new one both work.
        expect(await probeOk(good, rig.probe, watch)).toBe(true);
        const fresh = await httpClient(p);
        expect(await probeOk(fresh, rig.probe, watch)).toBe(true);
        await fresh.close();
        await good.close();
        expect(p.child.exitCode).toBe(null);
        counters.add("framesSent", sent);
        counters.add("framesSurvived", sent);
      },
      T,
    );
  });
}

describe("secret canaries", () => {
  it("appear 0 times in every stderr line, error and result of this file", () => {
    const { hits, bytes } = watch.scan(counters);
    expect(bytes).toBeGreaterThan(0);
    expect(hits).toEqual([]);
  });
});
