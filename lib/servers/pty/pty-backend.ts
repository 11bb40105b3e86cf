import type { ChildHandle, ProcessHandlers, SpawnRequest } from "./process-backend.ts";

/**
 * Opens a child behind a pseudo-terminal with whatever the runtime offers: Bun's built-in terminal under
 * Bun and compiled executables, @lydell/node-pty under Node and Deno (loaded lazily, never under Bun).
 */
export async function spawnInPty(req: SpawnRequest, handlers: ProcessHandlers): Promise<ChildHandle> {
  if ((globalThis as { Bun?: unknown }).Bun) {
    const { spawnBunPty } = await import("./pty-backend-bun.ts");
    return spawnBunPty(req, handlers);
  }
  const { spawnNodePty } = await import("./pty-backend-node.ts");
  return spawnNodePty(req, handlers);
}
