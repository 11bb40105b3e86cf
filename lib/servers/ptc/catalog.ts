import { exactName, namespacedName, type ToolFilter } from "./naming.ts";
import type { CallableTool, ServerState, ToolSource } from "./types.ts";

/** Two downstream tools that sanitise to the same script name. */
export interface NameCollision {
  name: string;
  first: string;
  second: string;
}

/**
 * The tools scripts may call: the connected servers' tools, namespaced and filtered. Recomputed from the
 * source on every look-up, so tools of a server that reconnects come back without a restart.
 */
export class ToolCatalog {
  constructor(
    readonly source: ToolSource,
    private readonly filter: ToolFilter,
  ) {}

  /** Namespaced name → tool. On a collision the first tool keeps the name (see `collisions`). */
  tools(): Map<string, CallableTool> {
    return this.build().tools;
  }

  collisions(): NameCollision[] {
    return this.build().collisions;
  }

  /** Sorted namespaced names, as list_callable_tools returns them. */
  names(): string[] {
    return [...this.tools().keys()].sort();
  }

  /** By namespaced name, or by the exact (unsanitised) name Claude Code shows. */
  get(name: string): CallableTool | undefined {
    const tools = this.tools();
    const direct = tools.get(name);
    if (direct) return direct;
    for (const t of tools.values()) if (t.exactName === name) return t;
    return undefined;
  }

  servers(): ServerState[] {
    return [...this.source.servers()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private build(): { tools: Map<string, CallableTool>; collisions: NameCollision[] } {
    const tools = new Map<string, CallableTool>();
    const collisions: NameCollision[] = [];
    for (const t of this.source.tools()) {
      const name = namespacedName(t.server, t.name);
      const exact = exactName(t.server, t.name);
      if (!this.filter.permits(name, exact)) continue;
      const prior = tools.get(name);
      if (prior) {
        if (prior.exactName !== exact) collisions.push({ name, first: prior.exactName, second: exact });
        continue;
      }
      tools.set(name, {
        name,
        exactName: exact,
        server: t.server,
        tool: t.name,
        description: t.description ?? "",
        inputSchema: t.inputSchema,
        ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
      });
    }
    return { tools, collisions };
  }
}

/** The one-line start-up error for collisions, naming both tools. */
export function collisionMessage(c: NameCollision): string {
  return `tool names collide after sanitising: '${c.first}' and '${c.second}' both become '${c.name}'; rename a server in the config or block one of them (tools.block)`;
}
