import type { SubcommandContext } from "../../../core/command-spec.ts";
import { UsageError } from "../../../core/errors.ts";
import { redactor } from "../../../core/redact.ts";
import { rejectCredential, rejectVariableName } from "../env-store.ts";
import { json, selfName } from "./output.ts";
import { declaredNames, scopeOf } from "./secrets-common.ts";
import { readGatewayFacts } from "./state.ts";

/**
 * `mcpkit gateway secrets set NAME [VALUE]`: the same checks and files as the auth_connect meta-tool.
 * Without VALUE the first line of stdin is used, so the value need not appear in the process list.
 * The output shows the name and the file, never the value.
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  const [name, given] = ctx.args;
  const scope = scopeOf(ctx.options.scope ?? "project", "--scope");
  let value = given;
  if (value === undefined) {
    if (ctx.stdinIsTTY)
      throw new UsageError(
        `give the value as an argument or on stdin (echo … | ${selfName(ctx.invokedAs)} secrets set NAME)`,
      );
    value = (await ctx.readStdin()).replace(/\r?\n$/, "");
  }
  redactor.addSecret(value);
  const facts = readGatewayFacts(ctx.options, ctx.env, ctx.cwd);
  const badName = rejectVariableName(name!, declaredNames(facts));
  if (badName) throw new UsageError(badName);
  const badValue = rejectCredential(value);
  if (badValue) throw new UsageError(badValue);
  const path = facts.store.set(name!, value, scope);
  ctx.stdout(json({ ok: true, scope, key: name, path, value: "********" }));
  return 0;
}
