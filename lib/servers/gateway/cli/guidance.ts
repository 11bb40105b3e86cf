import type { SubcommandContext } from "../../../core/command-spec.ts";
import { errorMessage } from "../../../core/errors.ts";
import { codeExecutionGuide, codeSnippet, instructions } from "../guidance.ts";
import { writeTelemetry } from "../guidance-config.ts";
import type { ToolNameStyle } from "../tool-names.ts";
import { json, str } from "./output.ts";
import { readGatewayFacts } from "./state.ts";

/** PMCP's budget assumes a workflow of one search returning 15 cards and one describe. */
const CARDS = 15;

/**
 * `mcpkit gateway guidance [--show-budget]`: the effective guidance (level, where it came from, layers)
 * and, with --show-budget, what each layer costs, counted with gpt-tokenizer on the text this gateway
 * would send with these flags.
 */
export async function run(ctx: SubcommandContext): Promise<number> {
  const telemetry = str(ctx.options.telemetry);
  if (telemetry) {
    try {
      const file = writeTelemetry(ctx.env, telemetry === "on");
      ctx.stderr(`mcpkit: telemetry ${telemetry} (enable_telemetry in ${file})\n`);
    } catch (err) {
      ctx.stderr(`mcpkit: ${errorMessage(err)}\n`);
      return 2;
    }
  }
  const facts = readGatewayFacts(ctx.options, ctx.env, ctx.cwd);
  if (facts.guidanceError || !facts.guidance) {
    ctx.stderr(`mcpkit: ${facts.guidanceError}\n`);
    return 2;
  }
  const g = facts.guidance;
  const style: ToolNameStyle = str(ctx.options.toolNames) === "dotted" ? "dotted" : "default";
  const names = facts.servers.length ? facts.servers.map((s) => s.name) : ["pty", "ptc"];
  const report: Record<string, unknown> = {
    file: g.file,
    file_exists: g.fileExists,
    level: g.level,
    level_source: g.levelSource === "flag" ? "--guidance / PMCP_GUIDANCE" : g.levelSource,
    layers: g.layers,
    telemetry: g.telemetry,
  };
  if (ctx.options.showBudget) {
    const { encode } = await import("gpt-tokenizer");
    const t = (s: string) => encode(s).length;
    const l0 = t(instructions(g.layers.mcp_instructions ? g.level : "off", style, names));
    const l1 = t(',"code_hint":"filter"');
    const l2 = t(
      `,"code_snippet":${JSON.stringify(codeSnippet(style, "github::create_issue", { owner: "<required: string>", repo: "<required: string>", title: "<required: string>" }))}`,
    );
    const l3 = t(codeExecutionGuide(style, names));
    const perCard = g.layers.code_hints ? l1 : 0;
    const perDescribe = g.layers.code_snippets ? l2 : 0;
    report.budget = {
      tokenizer: "gpt-tokenizer (o200k)",
      L0_instructions: l0,
      L1_per_card: perCard,
      L2_per_describe: perDescribe,
      L3_resource: { when_read: g.layers.methodology_resource ? l3 : 0, until_read: 0 },
      typical_workflow: { cards: CARDS, describes: 1, tokens: l0 + CARDS * perCard + perDescribe },
    };
  }
  if (ctx.options.json) {
    ctx.stdout(json(report));
    return 0;
  }
  const on = (b: boolean) => (b ? "on" : "off");
  const lines = [
    `guidance file: ${g.file}${g.fileExists ? "" : " (not present)"}`,
    `level: ${g.level} (from ${report.level_source})`,
    `  L0 mcp_instructions:     ${on(g.layers.mcp_instructions)}`,
    `  L1 code_hints:           ${on(g.layers.code_hints)}`,
    `  L2 code_snippets:        ${on(g.layers.code_snippets)}`,
    `  L3 methodology_resource: ${on(g.layers.methodology_resource)} (pmcp://guidance/code-execution)`,
    `telemetry: ${on(g.telemetry)} (feedback_hint on failures)`,
  ];
  const b = report.budget as
    | {
        L0_instructions: number;
        L1_per_card: number;
        L2_per_describe: number;
        L3_resource: { when_read: number };
        typical_workflow: { tokens: number };
      }
    | undefined;
  if (b) {
    lines.push(
      "token budget (gpt-tokenizer):",
      `  L0 instructions:  ${b.L0_instructions} (every conversation)`,
      `  L1 per card:      ${b.L1_per_card}`,
      `  L2 per describe:  ${b.L2_per_describe}`,
      `  L3 resource:      ${b.L3_resource.when_read} when read, 0 until then`,
      `  typical workflow: ${b.typical_workflow.tokens} (L0 + ${CARDS} cards + 1 describe)`,
    );
  }
  ctx.stdout(`${lines.join("\n")}\n`);
  return 0;
}
