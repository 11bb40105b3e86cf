import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ToolRecord } from "./types.ts";

/** On-disk shape: enough to build offline cards, never full schemas. */
interface CachedTool {
  name: string;
  title?: string;
  description: string;
  params: string[];
  tags: string[];
  risk: ToolRecord["risk"];
}
interface CacheFile {
  version: 1;
  servers: Record<string, { generated_at: string; tools: CachedTool[] }>;
}

/**
 * Persisted tool descriptions (`<cache dir>/gateway/descriptions.json`), written whenever a server's
 * tools are listed, read for `include_offline` searches of servers that are not running.
 */
export class DescriptionCache {
  readonly path: string;
  private data: CacheFile = { version: 1, servers: {} };

  constructor(dir: string) {
    this.path = join(dir, "gateway", "descriptions.json");
    try {
      const parsed = JSON.parse(readFileSync(this.path, "utf8")) as CacheFile;
      if (parsed && parsed.version === 1 && typeof parsed.servers === "object") this.data = parsed;
    } catch {
      // Missing or unreadable cache: start empty, it is rebuilt as servers start.
    }
  }

  records(): Map<string, ToolRecord[]> {
    const out = new Map<string, ToolRecord[]>();
    for (const [server, entry] of Object.entries(this.data.servers)) {
      out.set(
        server,
        entry.tools.map((t) => ({ ...t, server, availability: "offline" as const })),
      );
    }
    return out;
  }

  update(server: string, tools: ToolRecord[]): void {
    this.data.servers[server] = {
      generated_at: new Date().toISOString(),
      tools: tools.map((t) => ({
        name: t.name,
        ...(t.title ? { title: t.title } : {}),
        description: t.description,
        params: t.params,
        tags: t.tags,
        risk: t.risk,
      })),
    };
    this.save();
  }

  private save(): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.data));
      renameSync(tmp, this.path);
    } catch {
      // A read-only cache dir only costs offline discovery; never fail a call over it.
    }
  }
}
