/** A failure the caller can act on: becomes an `isError: true` tool result with this message. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolError";
  }
}
