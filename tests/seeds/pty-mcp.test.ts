import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, expect } from "vitest";
import { PTY_EXAMPLES } from "./examples/pty-mcp.ts";
import { lookup } from "./examples/types.ts";
import {
  cleanupSeedTemps,
  connectCommand,
  connectOriginal,
  type SeedSession,
  tempDir,
  textOf,
} from "./helpers.ts";
import { seedTest } from "./seed-test.ts";

// shared/seeds/pty-mcp.txt, run against mcpkit started as `pty-mcp`.
const ex = lookup(PTY_EXAMPLES);
const OWNER = "demo-client";

// A private state dir (tmux socket, persisted tmux sessions) so tests never touch a user's pty-mcp state.
const STATE = tempDir("pty-state");
// The dangerous-command examples delete /tmp/demo; the tests create it, and remove what they left.
const DEMO_EXISTED = existsSync("/tmp/demo");
let pty: SeedSession;

function start(env: Record<string, string> = {}): Promise<SeedSession> {
  return connectOriginal("pty-mcp", [], { env: { PTY_MCP_STATE_DIR: STATE, ...env } });
}

beforeAll(async () => {
  pty = await start();
}, 60_000);

afterAll(async () => {
  await pty?.close();
  try {
    execFileSync("tmux", ["-S", join(STATE, "tmux.sock"), "kill-server"], { stdio: "ignore" });
  } catch {}
  if (!DEMO_EXISTED) rmSync("/tmp/demo", { recursive: true, force: true });
  cleanupSeedTemps();
});

interface Result {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
}

/** Calls one of the seed's JSON lines, with its placeholders filled in. */
async function callLine(
  client: Client,
  line: string,
  fill: { session_id?: string; dangerous_confirm_token?: string; cwd?: string } = {},
): Promise<Result & { text: string }> {
  const call = JSON.parse(line) as { name: string; arguments: Record<string, unknown> };
  for (const [k, v] of Object.entries(fill))
    if (v !== undefined && k in call.arguments) call.arguments[k] = v;
  const r = (await client.callTool(call)) as Result;
  return { ...r, text: textOf(r) };
}

async function mustPass(client: Client, line: string, fill: Parameters<typeof callLine>[2] = {}) {
  const r = await callLine(client, line, fill);
  expect(r.isError, `${line}\n→ ${r.text}`).toBeFalsy();
  return r;
}

/** Spawns a helper session for an example whose session_id is a placeholder. */
async function spawnFor(
  client: Client,
  command: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const r = (await client.callTool({
    name: "pty_spawn",
    arguments: { command, owner: OWNER, ...extra },
  })) as Result;
  expect(r.isError, textOf(r)).toBeFalsy();
  return String(r.structuredContent?.session_id ?? textOf(r).trim());
}

async function readAll(client: Client, id: string, pattern: string): Promise<string> {
  const r = (await client.callTool({
    name: "pty_read_until",
    arguments: { session_id: id, owner: OWNER, pattern, timeout_ms: 15_000 },
  })) as Result;
  expect(r.isError, textOf(r)).toBeFalsy();
  expect(r.structuredContent?.matched, `waited for ${pattern}: ${textOf(r)}`).not.toBe(false);
  return textOf(r);
}

const DEFAULT_TOOLS = ex("pty.default-tools").text.split(" ");

seedTest(ex("pty.cli"), async () => {
  const s = await connectCommand(ex("pty.cli").text, [], { env: { PTY_MCP_STATE_DIR: STATE } });
  try {
    expect(s.client.getServerVersion()?.name).toBe("pty-mcp");
    expect((await s.client.listTools()).tools.length).toBeGreaterThan(0);
  } finally {
    await s.close();
  }
});

seedTest(ex("pty.default-tools"), async () => {
  const names = (await pty.client.listTools()).tools.map((t) => t.name);
  for (const tool of DEFAULT_TOOLS) expect(names, tool).toContain(tool);
});

seedTest(ex("pty.control-tools"), async () => {
  expect((await pty.client.listTools()).tools.map((t) => t.name)).not.toContain("pty_signal");
  const s = await start({ PTY_MCP_ENABLE_CONTROL_TOOLS: "1" });
  try {
    const names = (await s.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("pty_signal");
    expect(names).not.toContain("pty_health");
  } finally {
    await s.close();
  }
});

seedTest(ex("pty.admin-tools"), async () => {
  const admin = /admin\/global tools: (.*) \(/.exec(ex("pty.admin-tools").text)![1]!.split(", ");
  const s = await start({ PTY_MCP_ENABLE_ADMIN_TOOLS: "1" });
  try {
    const names = (await s.client.listTools()).tools.map((t) => t.name);
    for (const a of admin) expect(names).toContain(a);
    const plain = (await pty.client.listTools()).tools.map((t) => t.name);
    for (const a of admin) expect(plain).not.toContain(a);
  } finally {
    await s.close();
  }
});

seedTest(ex("pty.require-owner"), async () => {
  const refused = (await pty.client.callTool({
    name: "pty_spawn",
    arguments: { command: "true" },
  })) as Result;
  expect(refused.isError).toBe(true);
  expect(textOf(refused)).toMatch(/owner/);
  const s = await start({ PTY_MCP_REQUIRE_OWNER: "0" });
  try {
    const r = (await s.client.callTool({
      name: "pty_spawn",
      arguments: { command: "echo no-owner" },
    })) as Result;
    expect(r.isError, textOf(r)).toBeFalsy();
  } finally {
    await s.close();
  }
});

seedTest(ex("pty.legacy-dangerous"), async () => {
  const args = { command: "rm -rf /tmp/demo", owner: "release-bot", scope: "admin" };
  const legacy = { dangerous_confirmed: true, dangerous_justification: "cleanup temp data" };
  // Default policy: the legacy fields do not confirm anything.
  const refused = (await pty.client.callTool({
    name: "pty_spawn",
    arguments: { ...args, ...legacy },
  })) as Result;
  expect(refused.isError, textOf(refused)).toBe(true);
  const s = await start({ PTY_MCP_DANGEROUS_LEGACY_MODE: "1" });
  try {
    const unconfirmed = (await s.client.callTool({ name: "pty_spawn", arguments: args })) as Result;
    expect(unconfirmed.isError, textOf(unconfirmed)).toBe(true);
    mkdirSync("/tmp/demo", { recursive: true });
    const r = (await s.client.callTool({ name: "pty_spawn", arguments: { ...args, ...legacy } })) as Result;
    expect(r.isError, textOf(r)).toBeFalsy();
  } finally {
    await s.close();
  }
});

seedTest(ex("pty.session-log"), async () => {
  const dir = tempDir("pty-log");
  const s = await start({ PTY_MCP_SESSION_LOG_DIR: dir });
  try {
    const id = await spawnFor(s.client, "cat");
    const base = { session_id: id, owner: OWNER };
    await s.client.callTool({ name: "pty_write", arguments: { ...base, data: "logged-line\n" } });
    await readAll(s.client, id, "logged-line");
    await s.client.callTool({ name: "pty_attach", arguments: { ...base, client_id: "a" } });
    await s.client.callTool({
      name: "pty_handoff",
      arguments: { ...base, client_id: "a", target_client_id: "b" },
    });
    await s.client.callTool({
      name: "pty_takeover",
      arguments: { ...base, client_id: "a", from_client_id: "b", reason: "test" },
    });
    await s.client.callTool({ name: "pty_detach", arguments: { ...base, client_id: "a" } });
    const events = readFileSync(join(dir, id, "events.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event?: string; type?: string });
    const kinds = new Set(events.map((e) => e.event ?? e.type));
    for (const k of ["spawn", "write", "attach", "handoff", "takeover", "detach"])
      expect(kinds, k).toContain(k);
    expect(readFileSync(join(dir, id, "transcript.log"), "utf8")).toContain("logged-line");
  } finally {
    await s.close();
  }
});

seedTest(ex("pty.dangerous-patterns"), async () => {
  const s = await start({ PTY_MCP_DANGEROUS_PATTERNS: "forbidden-word;another\\s+one" });
  try {
    const r = (await s.client.callTool({
      name: "pty_spawn",
      arguments: { command: "echo forbidden-word", owner: OWNER },
    })) as Result;
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/confirm_dangerous_command/);
    const fine = (await s.client.callTool({
      name: "pty_spawn",
      arguments: { command: "echo harmless", owner: OWNER },
    })) as Result;
    expect(fine.isError, textOf(fine)).toBeFalsy();
  } finally {
    await s.close();
  }
});

seedTest(ex("pty.set-default-cwd"), async () => {
  // "/root/aa" is the seed author's directory; a fresh directory stands in for it.
  const cwd = tempDir("pty-cwd");
  const s = await start({ PTY_MCP_ENABLE_ADMIN_TOOLS: "1" });
  try {
    await mustPass(s.client, ex("pty.set-default-cwd").text, { cwd });
    const id = await spawnFor(s.client, "pwd; echo END");
    expect(await readAll(s.client, id, "END")).toContain(cwd);
  } finally {
    await s.close();
  }
});

let demoShell = "";
seedTest(ex("pty.spawn-separate-streams"), async () => {
  const r = await mustPass(pty.client, ex("pty.spawn-separate-streams").text);
  demoShell = String(r.structuredContent?.session_id ?? r.text.trim());
  expect(demoShell).not.toBe("");
});

seedTest(ex("pty.read-stdout"), async () => {
  const id = await spawnFor(pty.client, "echo to-stdout; echo to-stderr >&2; sleep 0.5", {
    separate_streams: true,
  });
  await pty.client.callTool({
    name: "pty_wait",
    arguments: { session_id: id, owner: OWNER, timeout_ms: 15_000 },
  });
  const r = await mustPass(pty.client, ex("pty.read-stdout").text, { session_id: id });
  expect(r.text).toContain("to-stdout");
  expect(r.text).not.toContain("to-stderr");
});

seedTest(ex("pty.resume"), async () => {
  const r = await mustPass(pty.client, ex("pty.resume").text);
  expect(JSON.stringify(r.structuredContent ?? r.text)).toContain(demoShell);
});

let tmuxDemo = "";
seedTest(ex("pty.spawn-tmux"), async () => {
  const r = await mustPass(pty.client, ex("pty.spawn-tmux").text);
  tmuxDemo = String(r.structuredContent?.session_id ?? r.text.trim());
  expect(await readAll(pty.client, tmuxDemo, "tmux-ok")).toContain("tmux-ok");
});

seedTest(ex("pty.spawn-tmux-workspace"), async () => {
  const [a, b] = ex("pty.spawn-tmux-workspace").text.split("\n");
  const ids: string[] = [];
  for (const line of [a!, b!]) {
    const r = await mustPass(pty.client, line);
    ids.push(String(r.structuredContent?.session_id ?? r.text.trim()));
  }
  for (const [i, id] of ids.entries()) {
    await pty.client.callTool({
      name: "pty_write",
      arguments: { session_id: id, owner: OWNER, data: "x\n" },
    });
    expect(await readAll(pty.client, id, `pane-${"ab"[i]}:x`)).toContain(`pane-${"ab"[i]}:x`);
  }
});

seedTest(ex("pty.recover"), async () => {
  // "after restart": a server spawns tmux-demo (still running), exits, and a new one recovers it by name and
  // owner. Its own state dir, so the tmux-demo of the spawn example (ended at once) is not in the way.
  const state = tempDir("pty-recover");
  const first = await start({ PTY_MCP_STATE_DIR: state });
  try {
    const spawn = JSON.parse(ex("pty.spawn-tmux").text) as { arguments: Record<string, unknown> };
    spawn.arguments.command = "printf tmux-ok; exec sleep 600";
    const r = (await first.client.callTool({ name: "pty_spawn", arguments: spawn.arguments })) as Result;
    expect(r.isError, textOf(r)).toBeFalsy();
    await first.close();
    const second = await start({ PTY_MCP_STATE_DIR: state });
    try {
      const rec = await mustPass(second.client, ex("pty.recover").text);
      expect(JSON.stringify(rec.structuredContent ?? rec.text)).toContain("tmux-demo");
    } finally {
      await second.close();
    }
  } finally {
    try {
      execFileSync("tmux", ["-S", join(state, "tmux.sock"), "kill-server"], { stdio: "ignore" });
    } catch {}
  }
});

let leased = "";
seedTest(ex("pty.attach"), async () => {
  leased = await spawnFor(pty.client, "cat");
  await mustPass(pty.client, ex("pty.attach").text, { session_id: leased });
  // While attached, another client id cannot write.
  const other = (await pty.client.callTool({
    name: "pty_write",
    arguments: { session_id: leased, owner: OWNER, client_id: "controller-z", data: "x\n" },
  })) as Result;
  expect(other.isError).toBe(true);
});

seedTest(ex("pty.write-read-lease"), async () => {
  const [write, read] = ex("pty.write-read-lease").text.split("\n");
  await mustPass(pty.client, write!, { session_id: leased });
  const r = await mustPass(pty.client, read!, { session_id: leased });
  expect(r.text).toContain("hello");
});

seedTest(ex("pty.detach"), async () => {
  await mustPass(pty.client, ex("pty.detach").text, { session_id: leased });
  const status = (await pty.client.callTool({
    name: "pty_status",
    arguments: { session_id: leased, owner: OWNER },
  })) as Result;
  expect(status.structuredContent?.attached_client_id ?? null).toBeNull();
});

seedTest(ex("pty.handoff"), async () => {
  await mustPass(pty.client, ex("pty.attach").text, { session_id: leased });
  await mustPass(pty.client, ex("pty.handoff").text, { session_id: leased });
  const status = (await pty.client.callTool({
    name: "pty_status",
    arguments: { session_id: leased, owner: OWNER },
  })) as Result;
  expect(status.structuredContent?.attached_client_id).toBe("controller-b");
});

seedTest(ex("pty.takeover"), async () => {
  // Lease back with controller-a, then controller-b takes it over as the seed shows.
  await pty.client.callTool({
    name: "pty_detach",
    arguments: { session_id: leased, owner: OWNER, client_id: "controller-b" },
  });
  await mustPass(pty.client, ex("pty.attach").text, { session_id: leased });
  await mustPass(pty.client, ex("pty.takeover").text, { session_id: leased });
  const status = (await pty.client.callTool({
    name: "pty_status",
    arguments: { session_id: leased, owner: OWNER },
  })) as Result;
  expect(status.structuredContent?.attached_client_id).toBe("controller-b");
});

seedTest(ex("pty.read-until-any"), async () => {
  const id = await spawnFor(pty.client, "sleep 0.3; echo OK");
  const r = await mustPass(pty.client, ex("pty.read-until-any").text, { session_id: id });
  expect(r.text).toContain("OK");
});

seedTest(ex("pty.read-quiescent"), async () => {
  const id = await spawnFor(pty.client, "printf 'first\\nsecond\\n'; sleep 5");
  const r = await mustPass(pty.client, ex("pty.read-quiescent").text, { session_id: id });
  expect(r.text).toContain("first");
  expect(r.text).toContain("second");
});

seedTest(ex("pty.prompt"), async () => {
  const id = await spawnFor(pty.client, 'read -p "continue? " ans; sleep 0.2; echo "done: $ans"');
  await readAll(pty.client, id, "continue?");
  const r = await mustPass(pty.client, ex("pty.prompt").text, { session_id: id });
  // Matched on the program's "done" (the read consumes up to the end of the match), not on the echo of "y".
  expect(r.structuredContent).toMatchObject({ matched: true, pattern: "done" });
  const rest = await readAll(pty.client, id, ": y");
  expect(rest).toContain(": y");
});

let confirmToken = "";
seedTest(ex("pty.confirm-dangerous"), async () => {
  const r = await mustPass(pty.client, ex("pty.confirm-dangerous").text);
  const data = (r.structuredContent ?? JSON.parse(r.text)) as {
    confirm_token?: string;
    expires_at?: unknown;
  };
  expect(data.confirm_token).toMatch(/^dc_/);
  expect(data.expires_at).toBeDefined();
  confirmToken = String(data.confirm_token);
});

seedTest(ex("pty.spawn-dangerous"), async () => {
  mkdirSync("/tmp/demo/inside", { recursive: true });
  const unconfirmed = await callLine(pty.client, ex("pty.spawn-dangerous").text);
  expect(unconfirmed.isError, unconfirmed.text).toBe(true);
  const r = await mustPass(pty.client, ex("pty.spawn-dangerous").text, {
    dangerous_confirm_token: confirmToken,
  });
  const id = String(r.structuredContent?.session_id ?? r.text.trim());
  await pty.client.callTool({
    name: "pty_wait",
    arguments: { session_id: id, owner: "release-bot", timeout_ms: 15_000 },
  });
  expect(existsSync("/tmp/demo")).toBe(false);
  // Single use: the same token does not confirm a second run.
  const again = await callLine(pty.client, ex("pty.spawn-dangerous").text, {
    dangerous_confirm_token: confirmToken,
  });
  expect(again.isError).toBe(true);
});

seedTest(ex("pty.absolute-command-cwd"), async () => {
  const dir = tempDir("pty-abs");
  const script = join(dir, "where.sh");
  writeFileSync(script, "#!/bin/sh\npwd\necho END\n");
  chmodSync(script, 0o755);
  const id = await spawnFor(pty.client, script);
  expect(await readAll(pty.client, id, "END")).toContain(dir);
});
