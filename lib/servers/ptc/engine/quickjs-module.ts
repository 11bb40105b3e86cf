import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSWASMModule,
  RELEASE_SYNC,
} from "quickjs-emscripten";
import { isCompiledBinary } from "../../../core/runtime.ts";

/**
 * In a `bun build --compile` executable the QuickJS .wasm file is not on disk: Bun embeds it when it is
 * imported with `type: "file"` and hands back its path inside the executable. Elsewhere the package loads
 * the file next to its own code, and this import is never evaluated (Node would reject the attribute).
 */
async function variant() {
  if (!isCompiledBinary()) return RELEASE_SYNC;
  // @ts-expect-error: a .wasm asset has no type declarations; Bun resolves it to a path.
  const embedded = await import("@jitl/quickjs-wasmfile-release-sync/wasm", { with: { type: "file" } });
  const bun = (globalThis as unknown as { Bun: { file(p: string): { arrayBuffer(): Promise<ArrayBuffer> } } })
    .Bun;
  const wasmBinary = await bun.file(embedded.default as string).arrayBuffer();
  return newVariant(RELEASE_SYNC, { wasmBinary });
}

/**
 * QuickJS WASM modules, one per run in flight: runs share nothing, and a run that kills its module (a WASM
 * abort) cannot take a concurrent run down with it. Idle modules are kept for reuse; loading one costs
 * tens of milliseconds, a runtime inside it well under one.
 */
export class QuickJSModulePool {
  private idle: QuickJSWASMModule[] = [];

  constructor(private readonly keepIdle = 2) {}

  async acquire(): Promise<QuickJSWASMModule> {
    return this.idle.pop() ?? newQuickJSWASMModuleFromVariant(await variant());
  }

  /** Returns a module after a run; a module whose run ended in an engine fault is dropped. */
  release(mod: QuickJSWASMModule, healthy: boolean): void {
    if (healthy && this.idle.length < this.keepIdle) this.idle.push(mod);
  }

  /** Loads one module ahead of the first run, so the first execute_program does not pay for it. */
  async warm(): Promise<void> {
    if (this.idle.length === 0) this.idle.push(await newQuickJSWASMModuleFromVariant(await variant()));
  }
}
