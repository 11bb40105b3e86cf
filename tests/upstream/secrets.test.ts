import { describe, expect, it } from "vitest";
import { redactor } from "../../lib/core/redact.ts";
import { registerSpecSecrets } from "../../lib/upstream/index.ts";

describe("registerSpecSecrets", () => {
  it("registers secret-looking env values and auth headers, not ordinary settings", () => {
    registerSpecSecrets({
      name: "a",
      transport: "stdio",
      command: "x",
      args: [],
      env: { GITLAB_PERSONAL_ACCESS_TOKEN: "glpat-value-1", LOG_FORMAT: "jsonlines" },
    });
    registerSpecSecrets({
      name: "b",
      transport: "http",
      url: "http://127.0.0.1/mcp",
      headers: { Authorization: "Token opaque-value-2", Accept: "application/json" },
    });
    const out = redactor.redact("glpat-value-1 opaque-value-2 jsonlines application/json");
    expect(out).not.toContain("glpat-value-1");
    expect(out).not.toContain("opaque-value-2");
    expect(out).toContain("jsonlines");
    expect(out).toContain("application/json");
  });
});
