/** The four behaviour hints every mcpkit tool declares explicitly (MCP `ToolAnnotations`). */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * Named hint sets, so a tool says what kind of tool it is instead of repeating four booleans.
 * `open*` variants reach outside this machine (a REST backend, the registry, a downstream server).
 */
export const HINTS = {
  /** Reads local state; calling it again changes nothing. */
  read: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  /** Reads a remote system. */
  openRead: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  /** Changes local state additively (starts something, writes input). */
  write: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  /** Changes local state; the same call twice has the effect of one. */
  idempotentWrite: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  /** Ends or deletes something local. */
  destructive: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  /** Changes a remote system additively. */
  openWrite: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  /** Changes a remote system; repeating it is harmless. */
  openIdempotentWrite: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: true,
  },
  /** Deletes or overwrites something in a remote system. */
  openDestructive: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
} as const satisfies Record<string, ToolHints>;

export type HintPreset = keyof typeof HINTS;

/** A preset name, or a preset with some hints changed, or all four given. */
export type HintsSpec = HintPreset | ToolHints | [HintPreset, Partial<ToolHints>];

export function resolveHints(spec: HintsSpec): ToolHints {
  if (typeof spec === "string") return HINTS[spec];
  if (Array.isArray(spec)) return { ...HINTS[spec[0]], ...spec[1] };
  return spec;
}
