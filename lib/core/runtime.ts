/** Which JavaScript runtime runs us, and whether we are a `bun build --compile` executable. */
export type RuntimeName = "node" | "bun" | "deno";

const g = globalThis as { Bun?: { version: string; main?: string }; Deno?: { version: { deno: string } } };

export const runtime: RuntimeName = g.Deno ? "deno" : g.Bun ? "bun" : "node";

export function runtimeVersion(): string {
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  if (g.Bun) return `bun ${g.Bun.version}`;
  return `node ${process.versions.node}`;
}

/** True inside a single-file executable made by `bun build --compile`. */
export function isCompiledBinary(): boolean {
  return Boolean(g.Bun?.main?.startsWith("/$bunfs/") || g.Bun?.main?.includes("~BUN"));
}
