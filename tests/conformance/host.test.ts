import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStdioBridge } from "../../scripts/conformance/stdio-bridge.ts";
import { baseEnv, type HttpProcess, ROOT } from "../helpers/mcpkit.ts";

// The conformance fixtures live outside lib/: a test-only host CLI carries them, the production bundle
// does not. The host and the stdio bridge are exercised here with SDK clients of both eras (the suite
// itself runs in `npm run conformance`).

const MARKERS = ["test_simple_text", "test_input_required_result_elicitation", "conformanceExtensions"];
let scratch: string;
let host: string;

/** Every file a bundle entry loads, following its relative static and dynamic imports. */
function bundleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(/["'](\.\.?\/[^"']+\.mjs)["']/g)) {
      const next = resolve(dirname(file), m[1]!);
      if (existsSync(next)) visit(next);
    }
  };
  visit(entry);
  return [...seen];
}

function pinned(name = "pinned") {
  const client = new Client(
    { name, version: "0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } }, capabilities: { elicitation: {} } },
  );
  answerElicitation(client);
  return client;
}

function legacy(name = "legacy") {
  const client = new Client({ name, version: "0" }, { capabilities: { elicitation: {} } });
  answerElicitation(client);
  return client;
}

function answerElicitation(client: Client) {
  client.setRequestHandler("elicitation/create", async () => ({
    action: "accept" as const,
    content: { name: "Ada", username: "ada", email: "ada@example.com" },
  }));
}

const text = (r: { content?: unknown }) => (r.content as { text: string }[])[0]!.text;

async function startHost(args: string[]): Promise<HttpProcess> {
  const child = spawn("node", [host, "echo", ...args], { env: baseEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  const exited = new Promise<number | string | null>((res) => child.once("exit", (c, s) => res(c ?? s)));
  const url = await new Promise<string>((res, rej) => {
    child.stderr!.on("data", (d: Buffer) => {
      err += d;
      const m = /listening on (\S+)/.exec(err);
      if (m) res(m[1]!);
    });
    void exited.then((c) => rej(new Error(`host exited ${c}: ${err}`)));
  });
  return {
    child,
    url,
    origin: new URL(url).origin,
    stderr: () => err,
    stop: async (sig = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(sig);
      return exited;
    },
  };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "mcpkit-conformance-host-"));
  host = join(scratch, "host.mjs");
  const { buildBundle } = await import(join(ROOT, "scripts/build.mjs"));
  await buildBundle({ outfile: host, entry: join(ROOT, "scripts/conformance/host.ts"), minify: false });
}, 60_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("fixtures stay out of the production CLI", () => {
  it("no file the production bundle loads contains fixture code; the host bundle does", () => {
    const production = bundleGraph(join(ROOT, "dist/mcpkit.mjs"));
    expect(production.length).toBeGreaterThan(3);
    for (const file of production) {
      const code = readFileSync(file, "utf8");
      for (const marker of MARKERS) expect(code.includes(marker), `${marker} in ${file}`).toBe(false);
    }
    const hostCode = bundleGraph(host)
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");
    for (const marker of MARKERS) expect(hostCode).toContain(marker);
  });

  it("mcpkit has no --conformance-fixtures flag", () => {
    const r = spawnSync("node", [join(ROOT, "dist/mcpkit.mjs"), "pty", "--conformance-fixtures"], {
      env: baseEnv(),
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });
});

describe("the conformance host serves the fixtures in both eras", () => {
  it("over Streamable HTTP: content tools, in-band input (2026-07-28) and pushed elicitation (2025)", async () => {
    const p = await startHost(["--transport", "http", "--port", "0"]);
    try {
      const modern = pinned();
      await modern.connect(new StreamableHTTPClientTransport(new URL(p.url)));
      const names = (await modern.listTools()).tools.map((t) => t.name);
      expect(names.slice(0, 2)).toEqual(["echo", "child_pid"]);
      expect(names).toContain("test_simple_text");
      expect(
        text(await modern.callTool({ name: "test_input_required_result_elicitation", arguments: {} })),
      ).toBe("Hello, Ada!");
      expect((await modern.listResources()).resources.map((r) => r.uri)).toContain("test://static-text");
      const old = legacy();
      await old.connect(new StreamableHTTPClientTransport(new URL(p.url)));
      const elicited = await old.callTool({ name: "test_elicitation", arguments: { message: "who?" } });
      expect(text(elicited)).toContain("action=accept");
      expect((await old.getPrompt({ name: "test_simple_prompt" })).messages).toHaveLength(1);
      await modern.close();
      await old.close();
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });

  it("through the stdio bridge: 2026-07-28 requests share a pinned child, 2025 sessions get their own", async () => {
    const bridge = await startStdioBridge({ command: "node", args: [host, "echo"], env: baseEnv() });
    try {
      const modern = pinned();
      await modern.connect(new StreamableHTTPClientTransport(new URL(bridge.url)));
      expect(modern.getProtocolEra()).toBe("modern");
      const [a, b] = await Promise.all([
        modern.callTool({ name: "echo", arguments: { text: "one" } }),
        modern.callTool({ name: "test_input_required_result_elicitation", arguments: {} }),
      ]);
      expect(text(a)).toBe("one");
      expect(text(b)).toBe("Hello, Ada!");
      const old = legacy();
      await old.connect(new StreamableHTTPClientTransport(new URL(bridge.url)));
      expect(old.getProtocolEra()).toBe("legacy");
      const steps: number[] = [];
      const progressed = await old.callTool(
        { name: "test_tool_with_progress", arguments: {} },
        { onprogress: (p) => steps.push(p.progress) },
      );
      expect(text(progressed)).toBe("Progress test completed");
      expect(steps).toEqual([0, 50, 100]);
      await modern.close();
      await old.close();
    } finally {
      await bridge.close();
    }
  });
});
