/** A tool argument combination the schema cannot express; reported without calling the API. */
export class ToolInputError extends Error {
  override name = "ToolInputError";
}
