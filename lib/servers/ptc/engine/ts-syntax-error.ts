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
