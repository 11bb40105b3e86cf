import { which } from "./environment.ts";
import type { CliAlternative, Manifest, ManifestEntry } from "./manifest.ts";
import { normalizeName, tokenize } from "./search/tokenize.ts";

export interface CapabilityContext {
  manifest: Manifest;
  /** Configured server names (with running state). */
  configured: Array<{ name: string; running: boolean }>;
  availableClis: string[];
  pathVar?: string;
  allowed: (server: string) => boolean;
  hasKey: (envVar: string) => boolean;
  liveToolHits: (query: string) => string[];
}

const MCP_INTENT = /\b(mcp|servers?|provision|install|start)\b/i;

/** The query as quoted back in messages: a caller may send megabytes. */
function quoted(query: string): string {
  return query.length > 200 ? `${query.slice(0, 200)}…` : query;
}

function phraseIn(query: string, phrase: string): boolean {
  return new RegExp(`\\b${phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i").test(query);
}

/** Finds a server whose normalised name equals a window of 3, 2 or 1 consecutive query words. */
function nameMatch(query: string, names: string[]): string | undefined {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const byNorm = new Map(names.map((n) => [normalizeName(n), n]));
  for (const size of [3, 2, 1]) {
    for (let i = 0; i + size <= words.length; i++) {
      const hit = byNorm.get(normalizeName(words.slice(i, i + size).join("")));
      if (hit) return hit;
    }
  }
  return undefined;
}

function candidate(ctx: CapabilityContext, e: ManifestEntry, score: number) {
  const running = ctx.configured.find((c) => c.name === e.name)?.running ?? false;
  return {
    name: e.name,
    candidate_type: "server",
    relevance_score: Math.round(score * 100) / 100,
    description: e.description,
    is_running: running,
    requires_api_key: Boolean(e.env_var),
    ...(e.env_var
      ? { env_var: e.env_var, api_key_available: ctx.hasKey(e.env_var), env_instructions: e.env_instructions }
      : {}),
    ...(e.not_available ? { not_available: e.not_available } : {}),
  };
}

/**
 * request_capability's routing, in order: an explicit server name, an installed CLI that does the job,
 * configured servers whose live tools match, a manifest category, the best manifest matches, and finally
 * "not available" with registry guidance. It never starts anything.
 */
export function resolveCapability(query: string, ctx: CapabilityContext): Record<string, unknown> {
  const configuredNames = ctx.configured.map((c) => c.name);
  const manifestNames = ctx.manifest.all().map((e) => e.name);
  const cliHit = rankCli(query, ctx);

  const named = nameMatch(query, [...configuredNames, ...manifestNames].filter(ctx.allowed));
  if (named && !(cliHit && cliHit.name === named && !MCP_INTENT.test(query))) {
    const entry = ctx.manifest.get(named);
    const conf = ctx.configured.find((c) => c.name === named);
    return {
      status: "candidates",
      candidates: [
        entry
          ? candidate(ctx, entry, 1)
          : { name: named, candidate_type: "server", relevance_score: 1, is_running: conf?.running ?? false },
      ],
      recommendation: conf?.running
        ? `Use ${named} - already running`
        : conf
          ? `Call describe/invoke on ${named}::<tool>; it starts on first use`
          : `Call provision(server_name='${named}')`,
    };
  }
  if (cliHit) {
    return {
      status: "use_cli",
      cli: cliHit,
      message: `Use Bash/direct CLI with '${cliHit.name}'. The gateway recommends the native command; it is not executing it.`,
    };
  }
  const live = ctx.liveToolHits(query);
  if (live.length) {
    return {
      status: "candidates",
      candidates: live.map((id) => ({ name: id, candidate_type: "tool", is_running: true })),
      recommendation: `Use ${live[0]} via invoke (describe first for the schema)`,
    };
  }
  const category = bestCategory(query, ctx.manifest.categories);
  const ranked = ctx.manifest.search(query, 8).filter((r) => ctx.allowed(r.entry.name));
  if (category) {
    const members = ctx.manifest
      .all()
      .filter((e) => e.category === category && ctx.allowed(e.name))
      .map((e) => candidate(ctx, e, 0.5))
      .sort((a, b) => keyRank(a) - keyRank(b) || a.name.localeCompare(b.name));
    if (members.length) {
      return {
        status: "pick_from_category",
        category_name: category,
        candidates: members,
        message: `${members.length} servers for ${category}; servers needing no key come first. Then call provision.`,
      };
    }
  }
  if (ranked.length) {
    const top = ranked[0]!.score;
    return {
      status: "candidates",
      candidates: ranked.slice(0, 3).map((r) => candidate(ctx, r.entry, r.score / top)),
      recommendation: `Call provision(server_name='${ranked[0]!.entry.name}')`,
    };
  }
  return {
    status: "not_available",
    message: `No configured or manifest server matches "${quoted(query)}".`,
    search_guidance: `Try search_registry(query='${quoted(query)}'), then register_discovered_server and provision.`,
  };
}

function keyRank(c: {
  requires_api_key: boolean;
  api_key_available?: boolean;
  not_available?: string;
}): number {
  if (c.not_available) return 3;
  return !c.requires_api_key ? 0 : c.api_key_available ? 1 : 2;
}

function rankCli(query: string, ctx: CapabilityContext) {
  const available = (c: CliAlternative) =>
    ctx.availableClis.includes(c.name) || Boolean(which(c.name, ctx.pathVar));
  let best: { cli: CliAlternative; score: number } | undefined;
  for (const cli of ctx.manifest.clis) {
    if (cli.prefer_mcp_for.some((p) => phraseIn(query, p))) continue;
    const score = cli.keywords.filter((k) => phraseIn(query, k)).length;
    if (score > 0 && (!best || score > best.score) && available(cli)) best = { cli, score };
  }
  if (!best) return undefined;
  const path = which(best.cli.name, ctx.pathVar);
  return {
    name: best.cli.name,
    description: best.cli.description,
    available: true,
    ...(path ? { path } : {}),
    help_command: [best.cli.name, "--help"],
  };
}

/** Category whose keywords best cover the query (phrases count once each; category-name words double). */
function bestCategory(query: string, categories: Record<string, string[]>): string | undefined {
  const words = new Set(tokenize(query));
  let best: { name: string; score: number } | undefined;
  for (const [name, keys] of Object.entries(categories)) {
    let score = tokenize(name).filter((w) => words.has(w)).length * 2;
    score += keys.filter((k) => phraseIn(query, k)).length;
    if (score >= 1 && (!best || score > best.score)) best = { name, score };
  }
  return best?.name;
}
