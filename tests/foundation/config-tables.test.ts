import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  currentBody,
  END,
  normalize,
  ROOT,
  START,
  tables,
  writeTables,
} from "../../scripts/settings-tables.ts";

// Keeps the settings tables of the server READMEs and docs/configuration.md generated from the settings
// the servers declare. After changing a declaration:
//   SETTINGS_TABLES_WRITE=1 npx vitest run tests/foundation/config-tables.test.ts
//   npx biome format --write docs/configuration.md lib/servers/*/README.md

const REGENERATE =
  "regenerate: SETTINGS_TABLES_WRITE=1 npx vitest run tests/foundation/config-tables.test.ts && npx biome format --write docs/configuration.md lib/servers/*/README.md";

describe("settings tables", () => {
  if (process.env.SETTINGS_TABLES_WRITE) writeTables();

  for (const { file, body } of tables()) {
    it(`${file} holds the table generated from the declarations`, () => {
      const text = readFileSync(join(ROOT, file), "utf8");
      const current = currentBody(text);
      expect(current, `${file} lacks ${START} … ${END}`).toBeDefined();
      expect(normalize(current!), REGENERATE).toBe(normalize(body));
    });
  }

  it("every table names every variable its server declares, and the shared one every shared flag", () => {
    const pty = tables().find((t) => t.file.includes("/pty/"))!.body;
    for (const name of ["PTY_MCP_MAX_SESSIONS", "PTY_MCP_LOG", "PTY_MCP_LOG_FORMAT", "PTY_MCP_AUTH_TOKEN"])
      expect(pty).toContain(`\`${name}\``);
    const shared = tables().find((t) => t.file === "docs/configuration.md")!.body;
    for (const flag of ["--transport", "--port", "--auth-token", "--log-level", "--log-format"])
      expect(shared).toContain(`\`${flag}\``);
  });
});
