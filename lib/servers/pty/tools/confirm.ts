import * as z from "zod";
import { structuredResult, ToolError } from "../../../core/tools/define-tool.ts";
import { ptyTool } from "./context.ts";
import { owner, scope } from "./schemas.ts";

export const confirmDangerousCommand = ptyTool({
  name: "confirm_dangerous_command",
  title: "Confirm a dangerous command",
  description:
    "Checks a command against the dangerous-command patterns. For a dangerous one, with a justification, returns a single-use confirm_token (expires after PTY_MCP_DANGEROUS_CONFIRM_TTL_SEC) bound to this exact command, owner and scope; pass it as dangerous_confirm_token to pty_spawn (or pty_write for a typed line).",
  input: z
    .object({
      command: z.string().min(1),
      justification: z.string().nullish().describe("Why the command must run"),
      owner,
      scope: scope.nullish().describe("Scope the command will be spawned with (default read-write)"),
    })
    .strict(),
  output: z.looseObject({ ok: z.boolean(), dangerous: z.boolean(), matches: z.array(z.string()) }),
  hints: "write",
  async handler(a, ctx) {
    const matches = ctx.app.detector.matches(a.command);
    if (matches.length === 0) return structuredResult({ ok: true, dangerous: false, matches: [] });
    if (!a.justification?.trim()) {
      return structuredResult({ ok: false, dangerous: true, matches, error: "justification required" });
    }
    const owner = a.owner ?? null;
    if (ctx.app.config.requireOwner && !owner)
      throw new ToolError("owner is required for confirm_dangerous_command");
    const { token, expiresAt } = ctx.app.tokens.issue(a.command, owner, a.scope ?? "read-write");
    return structuredResult({
      ok: true,
      dangerous: true,
      matches,
      confirm_token: token,
      expires_at: expiresAt,
    });
  },
});
