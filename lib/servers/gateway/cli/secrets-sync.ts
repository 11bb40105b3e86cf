import type { SubcommandContext } from "../../../core/command-spec.ts";
import { UsageError } from "../../../core/errors.ts";
import { redactor } from "../../../core/redact.ts";
import { rejectCredential, rejectVariableName } from "../env-store.ts";
import { json } from "./output.ts";
import { declaredNames, scopeOf } from "./secrets-common.ts";
import { readGatewayFacts } from "./state.ts";

/**
 * `mcpkit gateway secrets sync --from-scope A --to-scope B [--overwrite]`: copies every variable of one
 * credential file into the other (existing names are kept unless --overwrite). Names the gateway would
 * refuse to store (loader variables, invalid names) are skipped and listed. Only names are printed.
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  const from = scopeOf(ctx.options.fromScope, "--from-scope");
  const to = scopeOf(ctx.options.toScope, "--to-scope");
  if (from === to) throw new UsageError("--from-scope and --to-scope must differ");
  const facts = readGatewayFacts(ctx.options, ctx.env, ctx.cwd);
  const declared = declaredNames(facts);
  const source = facts.store.entries(from);
  const target = facts.store.entries(to);
  const added: string[] = [];
  const updated: string[] = [];
  const skipped: string[] = [];
  const refused: Array<{ key: string; reason: string }> = [];
  for (const [key, value] of Object.entries(source)) {
    redactor.addSecret(value);
    const reason = rejectVariableName(key, [...declared, ...Object.keys(source)]) ?? rejectCredential(value);
    if (reason) {
      refused.push({ key, reason });
      continue;
    }
    if (key in target && !ctx.options.overwrite) {
      skipped.push(key);
      continue;
    }
    if (target[key] === value) {
      skipped.push(key);
      continue;
    }
    facts.store.set(key, value, to);
    (key in target ? updated : added).push(key);
  }
  ctx.stdout(
    json({
      ok: true,
      from: facts.store.pathOf(from),
      to: facts.store.pathOf(to),
      added,
      updated,
      skipped,
      refused,
      target_key_count: Object.keys(facts.store.entries(to)).length,
    }),
  );
  return 0;
}
