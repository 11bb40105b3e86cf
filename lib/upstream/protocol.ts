import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { DiscoverResult, PriorDiscovery } from "@modelcontextprotocol/client";
import type { UpstreamSpec } from "./specs.ts";

/**
 * Which MCP protocol era to speak to a downstream server (the `protocol` key of a server entry):
 * `2025` is the plain `initialize` handshake every server understands (the default); `2026` requires
 * 2026-07-28 (`server/discover`, no fallback); `auto` asks with `server/discover` and falls back to
 * `initialize`, once: the verdict is cached per launch spec, so later starts skip the probe.
 */
export type ProtocolSetting = "auto" | "2025" | "2026";
export const PROTOCOL_SETTINGS: readonly ProtocolSetting[] = ["auto", "2025", "2026"];
export const MODERN_REVISION = "2026-07-28";

/**
 * How long the `auto` probe waits for an answer to `server/discover`. A 2025-era server answers the
 * unknown method at once with an error, or (some never answer requests before `initialize`) not at all:
 * on stdio the silence counts as "2025" after this long; over HTTP it is a connection failure.
 */
export const PROBE_TIMEOUT_MS = 2_500;

/**
 * A cached "this server speaks 2025" is re-checked after this long: an upgraded server keeps answering
 * `initialize`, so nothing else would ever notice. A cached 2026 verdict needs no horizon: a stale one
 * fails at once and is dropped.
 */
export const LEGACY_VERDICT_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * A "2025" that rests on an unanswered probe (the server may ignore unknown requests, or may be a
 * 2026-07-28 server still starting, e.g. under `npx` downloading it) is re-checked much sooner.
 */
export const UNANSWERED_PROBE_HORIZON_MS = 60 * 60 * 1000;

/** Where era verdicts are kept between connections (and, file-backed, between runs). */
export interface EraVerdicts {
  get(key: string): PriorDiscovery | undefined;
  /** `horizonMs`: how long a 2025 verdict holds (LEGACY_VERDICT_HORIZON_MS by default). */
  set(key: string, verdict: PriorDiscovery, horizonMs?: number): void;
  delete(key: string): void;
}

/** JSON with object keys sorted, so the same spec always gives the same text. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined && typeof o[k] !== "function")
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * The cache key of a launch spec as it runs (expanded): what is started and with which credentials, so
 * a verdict is never reused across authorization contexts. Only the hash is stored, never the values.
 */
export function verdictKey(spec: UpstreamSpec): string {
  const { name: _n, source: _s, lazy: _l, connectTimeoutMs: _c, callTimeoutMs: _t, ...rest } = spec;
  return `sha256:${createHash("sha256").update(stable(rest)).digest("hex").slice(0, 32)}`;
}

export class MemoryEraVerdicts implements EraVerdicts {
  private readonly map = new Map<string, { verdict: PriorDiscovery; until: number }>();
  get(key: string) {
    const v = this.map.get(key);
    return v && Date.now() < v.until ? v.verdict : undefined;
  }
  set(key: string, verdict: PriorDiscovery, horizonMs = LEGACY_VERDICT_HORIZON_MS) {
    this.map.set(key, {
      verdict,
      until: verdict.kind === "modern" ? Number.POSITIVE_INFINITY : Date.now() + horizonMs,
    });
  }
  delete(key: string) {
    this.map.delete(key);
  }
}

interface StoredVerdict {
  era: "modern" | "legacy";
  discover?: DiscoverResult;
  stored_at: string;
  /** How long a legacy verdict holds, when not LEGACY_VERDICT_HORIZON_MS. */
  horizon_ms?: number;
}

interface VerdictFile {
  version: 1;
  verdicts: Record<string, StoredVerdict>;
}

/**
 * Era verdicts in a JSON file (the gateway keeps it beside its description cache, ptc in its own cache
 * dir). Several processes may share the file: each write re-reads it and replaces one key. An unreadable
 * or unwritable file only costs a probe.
 */
export class FileEraVerdicts implements EraVerdicts {
  constructor(
    readonly path: string,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): PriorDiscovery | undefined {
    const v = this.read().verdicts[key];
    if (!v) return undefined;
    if (v.era === "modern") return v.discover ? { kind: "modern", discover: v.discover } : undefined;
    const age = this.now() - Date.parse(v.stored_at);
    return age >= 0 && age < (v.horizon_ms ?? LEGACY_VERDICT_HORIZON_MS) ? { kind: "legacy" } : undefined;
  }

  set(key: string, verdict: PriorDiscovery, horizonMs?: number): void {
    this.update((file) => {
      file.verdicts[key] = {
        era: verdict.kind,
        ...(verdict.kind === "modern" ? { discover: verdict.discover } : {}),
        stored_at: new Date(this.now()).toISOString(),
        ...(verdict.kind === "legacy" && horizonMs !== undefined ? { horizon_ms: horizonMs } : {}),
      };
    });
  }

  delete(key: string): void {
    this.update((file) => {
      delete file.verdicts[key];
    });
  }

  private read(): VerdictFile {
    try {
      const parsed = JSON.parse(readFileSync(this.path, "utf8")) as VerdictFile;
      if (parsed?.version === 1 && parsed.verdicts && typeof parsed.verdicts === "object") return parsed;
    } catch {
      // Missing or unreadable: no verdicts, so the next connect probes.
    }
    return { version: 1, verdicts: {} };
  }

  private update(change: (file: VerdictFile) => void): void {
    const file = this.read();
    change(file);
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(file));
      renameSync(tmp, this.path);
    } catch {
      // A read-only cache dir only costs a probe on the next start.
    }
  }
}
