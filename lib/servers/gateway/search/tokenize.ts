/**
 * Splits text into lower-case search terms: camelCase, snake_case, kebab-case and `::` boundaries all
 * separate words, so `browser_navigate`, `browserNavigate` and `browser-navigate` index alike.
 */
export function tokenize(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0 && !STOP_WORDS.has(t));
}

/** Words too common to help ranking; kept tiny so tool vocabulary ("get", "list") still counts. */
const STOP_WORDS = new Set(["a", "an", "the", "of", "to", "and", "or", "for", "in", "on", "with", "is", "i"]);

/** Name normalised for exact/prefix comparison: lower-case, separators removed. */
export function normalizeName(text: string): string {
  return text.toLowerCase().replace(/[\s_\-.:]+/g, "");
}
