import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ConfigError } from "../../core/errors.ts";
import { parseDuration } from "./duration.ts";
import { GlobList } from "./glob.ts";
import { homeDir } from "./state-dir.ts";
import { readStructuredFile } from "./structured-file.ts";

const listPair = z
  .object({ allowlist: z.array(z.string()).default([]), denylist: z.array(z.string()).default([]) })
  .strict()
  .default({ allowlist: [], denylist: [] });

/** A duration in seconds (number) or with a unit ("500ms", "10s", "10m", "1h"); parsed to milliseconds. */
const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({
      code: "custom",
      message: 'expected seconds or a duration like "500ms", "10s", "10m", "1h"',
    });
    return z.NEVER;
  }
  return ms;
});

/** Downstream lifecycle: indexing at start, waits for indexing, idle reaping and the process cap (ours). */
const LifecycleSchema = z
  .object({
    idle_timeout: duration.default(600_000),
    max_running: z.number().int().min(1).default(32),
    index_concurrency: z.number().int().min(0).max(64).default(4),
    index_timeout: duration.default(30_000),
    search_wait: duration.default(5_000),
  })
  .strict()
  .default({
    idle_timeout: 600_000,
    max_running: 32,
    index_concurrency: 4,
    index_timeout: 30_000,
    search_wait: 5_000,
  });

/** PMCP's policy file format (every level rejects unknown keys), plus our `lifecycle` and `changed_tools`. */
export const PolicySchema = z
  .object({
    servers: listPair,
    gateway_tools: listPair,
    tools: listPair,
    resources: listPair,
    prompts: listPair,
    limits: z
      .object({
        max_tools_per_server: z.number().int().positive().default(100),
        max_output_bytes: z.number().int().min(256).default(50_000),
        max_output_tokens: z.number().int().min(16).default(4_000),
      })
      .strict()
      .default({ max_tools_per_server: 100, max_output_bytes: 50_000, max_output_tokens: 4_000 }),
    redaction: z
      .object({ patterns: z.array(z.string()).default([]) })
      .strict()
      .default({ patterns: [] }),
    lifecycle: LifecycleSchema,
    /** What a tool whose description or schema changed may do: be invoked (warn) or not (block). */
    changed_tools: z.enum(["warn", "block"]).default("warn"),
  })
  .strict();

export type PolicyData = z.output<typeof PolicySchema>;

class AllowDeny {
  private readonly allow: GlobList;
  private readonly deny: GlobList;
  constructor(pair: { allowlist: string[]; denylist: string[] }) {
    this.allow = new GlobList(pair.allowlist);
    this.deny = new GlobList(pair.denylist);
  }
  /** Deny wins; a non-empty allowlist admits only its matches. */
  permits(name: string): boolean {
    if (this.deny.matches(name)) return false;
    return this.allow.empty || this.allow.matches(name);
  }
}

/** The effective policy: allow/deny decisions, limits and extra redaction patterns. */
export class Policy {
  private readonly servers: AllowDeny;
  private readonly tools: AllowDeny;
  private readonly gatewayTools: AllowDeny;
  private readonly resources: AllowDeny;
  private readonly prompts: AllowDeny;
  readonly limits: PolicyData["limits"];
  /** Milliseconds for durations; see LifecycleSchema. */
  readonly lifecycle: PolicyData["lifecycle"];
  readonly changedTools: PolicyData["changed_tools"];
  readonly redactionPatterns: RegExp[];

  constructor(
    readonly data: PolicyData,
    readonly source?: string,
  ) {
    this.servers = new AllowDeny(data.servers);
    this.tools = new AllowDeny(data.tools);
    this.gatewayTools = new AllowDeny(data.gateway_tools);
    this.resources = new AllowDeny(data.resources);
    this.prompts = new AllowDeny(data.prompts);
    this.limits = data.limits;
    this.lifecycle = data.lifecycle;
    this.changedTools = data.changed_tools;
    this.redactionPatterns = data.redaction.patterns.map((p, i) => {
      try {
        return new RegExp(p, "gi");
      } catch (e) {
        throw new ConfigError(
          `policy ${source ?? ""}: redaction.patterns.${i}: invalid regex (${(e as Error).message})`,
        );
      }
    });
  }

  static permissive(): Policy {
    return new Policy(PolicySchema.parse({}));
  }

  serverAllowed(server: string): boolean {
    return this.servers.permits(server);
  }

  /** Tool ids are matched as "server::tool"; the server rule applies too. */
  toolAllowed(server: string, tool: string): boolean {
    return this.serverAllowed(server) && this.tools.permits(`${server}::${tool}`);
  }

  /** The gateway's own resources, matched by URI and by PMCP's id ("pmcp::<uri>"). */
  resourceAllowed(uri: string): boolean {
    return this.resources.permits(uri) && this.resources.permits(`pmcp::${uri}`);
  }

  /** A downstream resource or resource template, matched as "server::uri"; the server rule applies too. */
  downstreamResourceAllowed(server: string, uri: string): boolean {
    return this.serverAllowed(server) && this.resources.permits(`${server}::${uri}`);
  }

  /** A downstream prompt, matched as "server::name" (its original name); the server rule applies too. */
  promptAllowed(server: string, name: string): boolean {
    return this.serverAllowed(server) && this.prompts.permits(`${server}::${name}`);
  }

  /** Meta-tools are matched by both spellings ("gateway.invoke" and "gateway_invoke"). */
  gatewayToolAllowed(verb: string): boolean {
    return this.gatewayTools.permits(`gateway.${verb}`) && this.gatewayTools.permits(`gateway_${verb}`);
  }
}

/**
 * Finds and loads the policy: an explicit --policy/PMCP_POLICY file must exist; otherwise the first of
 * ./.mcp-gateway-policy.{yaml,json} and ~/.claude/gateway-policy.{yaml,json}. Any file that exists but is
 * malformed stops start-up with file, line and reason.
 */
export function loadPolicy(
  explicit: string | undefined,
  cwd: string,
  env: Record<string, string | undefined>,
): Policy {
  if (explicit) {
    if (!existsSync(explicit))
      throw new ConfigError(`policy ${explicit}: file not found (--policy / PMCP_POLICY)`);
    return new Policy(readStructuredFile(explicit, PolicySchema, "policy"), explicit);
  }
  const home = homeDir(env);
  for (const candidate of [
    join(cwd, ".mcp-gateway-policy.yaml"),
    join(cwd, ".mcp-gateway-policy.json"),
    join(home, ".claude", "gateway-policy.yaml"),
    join(home, ".claude", "gateway-policy.json"),
  ]) {
    if (existsSync(candidate))
      return new Policy(readStructuredFile(candidate, PolicySchema, "policy"), candidate);
  }
  return Policy.permissive();
}
