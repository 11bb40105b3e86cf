import { transform } from "sucrase";

/** A TypeScript syntax error, with the 1-based line and column sucrase reports. */
export class TypeScriptSyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = "SyntaxError";
  }
}

/**
 * Removes TypeScript syntax (annotations, interfaces, generics, `as`, enums) and leaves JavaScript on the same
 * lines, so error line numbers still point into the script as written. No type checking.
 */
export function stripTypes(code: string): string {
  try {
    return transform(code, {
      transforms: ["typescript"],
      disableESTransforms: true,
      keepUnusedImports: true,
    }).code;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /\((\d+):(\d+)\)\s*$/.exec(msg);
    if (!m) throw new TypeScriptSyntaxError(msg);
    const line = Number(m[1]);
    const column = Number(m[2]);
    throw new TypeScriptSyntaxError(msg.slice(0, m.index).trim(), line, column);
  }
}
