import { encode } from "gpt-tokenizer";

/** What a tool costs in a model's context: tokens of its definition as the client receives it (JSON). */
export function toolTokens(tool: unknown): number {
  return encode(JSON.stringify(tool)).length;
}
