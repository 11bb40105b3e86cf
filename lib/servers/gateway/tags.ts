/** Category tags derived from a tool's words (whole words, not substrings), plus the server name. */
const CATEGORIES: Record<string, string[]> = {
  database: ["sql", "query", "table", "database", "db", "postgres", "sqlite", "mysql", "mongo", "redis"],
  file: ["file", "files", "directory", "path", "read", "write", "folder", "fs"],
  git: ["git", "commit", "branch", "repo", "repository", "pull", "merge", "issue", "issues"],
  http: ["http", "url", "fetch", "request", "api", "webhook", "download"],
  search: ["search", "find", "lookup", "query", "grep"],
  browser: ["browser", "page", "navigate", "screenshot", "click", "dom"],
  code: ["code", "script", "execute", "run", "eval", "compile", "terminal", "shell", "command"],
  memory: ["memory", "entity", "entities", "graph", "relation", "relations", "knowledge"],
};

export function deriveTags(server: string, name: string, description: string): string[] {
  const words = new Set(
    `${name} ${description}`
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .toLowerCase()
      .split(/[^a-z0-9]+/),
  );
  const tags = [server];
  for (const [tag, keys] of Object.entries(CATEGORIES)) {
    if (tag !== server && keys.some((k) => words.has(k))) tags.push(tag);
  }
  return tags;
}
