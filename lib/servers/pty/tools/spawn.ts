import * as z from "zod";
import { structuredResult, ToolError } from "../../../core/tools/define-tool.ts";
import { waitForQuiet } from "../waits.ts";
import { askHuman } from "./ask-human.ts";
import { ptyTool } from "./context.ts";
import { readerKey, takeOutput } from "./output.ts";
import { DESTRUCTIVE, exitShape, maxChars, outputOptions, scope } from "./schemas.ts";

const input = z
  .object({
    command: z
      .string()
      .describe("Shell command line, run as `bash -c <command>` in the user's login environment"),
    cwd: z
      .string()
      .nullish()
      .describe(
        "Working directory (default: set_default_cwd, else the dir of an absolute-path program, else the server's)",
      ),
    cols: z.number().int().min(1).max(1000).default(120),
    rows: z.number().int().min(1).max(1000).default(30),
    separate_streams: z.boolean().default(false).describe("stdout/stderr as separate pipes (no terminal)"),
    tag: z.string().nullish(),
    owner: z.string().nullish().describe("Owner label; required unless PTY_MCP_REQUIRE_OWNER=0"),
    name: z.string().min(1).nullish().describe("Stable name for pty_resume / pty_recover"),
    scope: scope.default("read-write").describe("read-only | read-write | control | admin"),
    max_output_bytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024 * 1024)
      .nullish()
      .describe("History size per stream"),
    spawn_timeout_sec: z
      .number()
      .int()
      .min(0)
      .nullish()
      .describe("Runtime cap: SIGTERM, then SIGKILL (0 = none)"),
    rate_limit_bps: z.number().int().min(0).nullish(),
    input_rate_bps: z.number().int().min(0).nullish(),
    read_timeout_ms: z.number().int().min(0).max(600_000).nullish().describe("Default pty_read wait"),
    env: z
      .record(z.string(), z.string().nullable())
      .nullish()
      .describe("Variables merged over the login environment"),
    backend: z.enum(["subprocess", "tmux"]).nullish(),
    tmux_workspace: z.string().min(1).nullish().describe("Group panes of one owner in one tmux session"),
    tty_mode: z
      .enum(["cooked", "raw"])
      .nullish()
      .describe("cooked (default): echo, CRLF, Ctrl-C; raw: pty-mcp 0.2 behaviour"),
    dangerous_confirm_token: z.string().nullish().describe("Token from confirm_dangerous_command"),
    dangerous_confirmed: z
      .boolean()
      .nullish()
      .describe("Legacy confirmation (PTY_MCP_DANGEROUS_LEGACY_MODE=1 only)"),
    dangerous_justification: z
      .string()
      .nullish()
      .describe(
        "Why a dangerous command must run: shown to the user when they are asked to allow it; confirms it in PTY_MCP_DANGEROUS_LEGACY_MODE=1",
      ),
    wait_ms: z
      .number()
      .int()
      .min(0)
      .max(120_000)
      .nullish()
      .describe("Wait up to this long and return the output seen and the state"),
    max_chars: maxChars,
    ...outputOptions,
  })
  .strict();

export const ptySpawn = ptyTool({
  name: "pty_spawn",
  title: "Spawn a command in a terminal",
  description:
    "Starts a shell command in a pseudo-terminal (or a tmux pane) and returns its session id. Pass wait_ms to also get the first output and exit status in the same call. Dangerous commands need a token from confirm_dangerous_command, or the user's consent when the client can ask them (elicitation).",
  input: input,
  output: z.looseObject({ session_id: z.string(), pid: z.number(), ...exitShape }),
  hints: DESTRUCTIVE,
  async handler(a, ctx) {
    const { app } = ctx;
    const cfg = app.config;
    const owner = a.owner ?? null;
    if (cfg.requireOwner && !owner) throw new ToolError("owner is required for spawn");
    const matches = app.detector.matches(a.command);
    let confirmationMode: "none" | "token" | "legacy" | "elicitation" = "none";
    if (matches.length > 0) {
      if (a.dangerous_confirm_token) {
        const err = app.tokens.consume(a.dangerous_confirm_token, a.command, owner, a.scope);
        if (err) throw new ToolError(err);
        confirmationMode = "token";
      } else if (cfg.dangerousLegacyMode) {
        if (!a.dangerous_confirmed && !a.dangerous_justification?.trim()) {
          throw new ToolError("dangerous command detected; use confirm_dangerous_command");
        }
        confirmationMode = "legacy";
      } else {
        const asked = askHuman(ctx, {
          command: a.command.trim(),
          matches,
          owner,
          scope: a.scope,
          justification: a.dangerous_justification,
        });
        if (asked === undefined) {
          throw new ToolError(
            "dangerous command detected; confirmation token required (call confirm_dangerous_command, then pass dangerous_confirm_token)",
          );
        }
        if (asked !== "confirmed") return asked;
        confirmationMode = "elicitation";
      }
    }
    const session = await app.manager.spawn({ ...a, owner });
    session.log?.event("spawn", {
      command: a.command,
      cwd: session.meta.cwd,
      cols: a.cols,
      rows: a.rows,
      tag: a.tag ?? null,
      owner,
      name: a.name ?? null,
      scope: a.scope,
      backend: session.meta.backend,
      tmux_workspace: session.meta.tmuxWorkspace,
      dangerous: matches.length > 0,
      dangerous_matches: matches,
      confirmation_mode: confirmationMode,
      dangerous_confirm_token_present: Boolean(a.dangerous_confirm_token),
      dangerous_justification_present: Boolean(a.dangerous_justification?.trim()),
    });
    const meta: Record<string, unknown> = {
      session_id: session.id,
      pid: session.pid,
      pgid: session.pgid,
      name: session.meta.name,
      cwd: session.meta.cwd,
      cols: a.cols,
      rows: a.rows,
      tag: session.meta.tag,
      owner,
      scope: a.scope,
      backend: session.meta.backend,
      tmux_workspace: session.meta.tmuxWorkspace,
      tty_mode: session.meta.ttyMode,
      separate_streams: a.separate_streams,
      max_output_bytes: session.limits.max_output_bytes,
      max_runtime_sec: session.limits.spawn_timeout_sec,
      rate_limit_bps: session.limits.rate_limit_bps,
      created_at: session.meta.createdAt / 1000,
      attached_client_id: null,
      ...session.audit,
    };
    const exitNow = () => ({
      running: session.running,
      exit_code: session.exit?.exitCode ?? null,
      signal: session.exit?.signal ?? null,
      exit_reason: session.exit?.reason ?? null,
    });
    if (a.wait_ms) {
      const reader = readerKey(null);
      await waitForQuiet(session, reader, "pty", cfg.quiescenceMs, {
        timeoutMs: a.wait_ms,
        signal: ctx.signal,
        progress: ctx.progress,
      });
      ctx.stopIfCancelled();
      const out = await takeOutput(app, session, reader, "pty", a.max_chars ?? cfg.maxChars, a);
      const structured = {
        ...meta,
        ...exitNow(),
        output: out.text,
        output_omitted_bytes: out.omitted_bytes,
        remaining_bytes: out.remaining_bytes,
      };
      return structuredResult(structured);
    }
    const structured = { ...meta, ...exitNow() };
    return structuredResult(structured, cfg.spawnMeta ? JSON.stringify(structured) : session.id);
  },
});
