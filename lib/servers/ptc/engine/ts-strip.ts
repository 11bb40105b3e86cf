import { transform } from "sucrase";
import { TypeScriptSyntaxError } from "./ts-syntax-error.ts";

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
