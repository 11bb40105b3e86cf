// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax under test, not a template
import { describe, expect, it } from "vitest";
import { buildChildEnv, expandSpec, expandSpecs, expandString } from "../../lib/upstream/index.ts";

describe("expandString", () => {
  const env = { HOST: "db.local", EMPTY: "", TOKEN: "s3cr3t" };

  it("expands ${VAR} and ${VAR:-default}", () => {
    expect(expandString("postgres://${HOST}:${PORT:-5432}/app", env)).toBe("postgres://db.local:5432/app");
    expect(expandString("${HOST:-fallback}", env)).toBe("db.local");
    // Like the shell's `:-`, an empty value takes the default too.
    expect(expandString("${EMPTY:-fallback}", env)).toBe("fallback");
    expect(expandString("${PORT:-}", env)).toBe("");
  });

  it("leaves bare $VAR and malformed placeholders alone", () => {
    expect(expandString("echo $HOST ${ not-a-var } $${HOST}", env)).toBe(
      "echo $HOST ${ not-a-var } $db.local",
    );
  });

  it("an unset variable without a default becomes empty and is reported once", () => {
    const missing: string[] = [];
    expect(expandString("Bearer ${API_KEY} ${API_KEY} ${EMPTY}", env, missing)).toBe("Bearer   ");
    expect(missing).toEqual(["API_KEY"]);
  });
});

describe("expandSpec", () => {
  it("expands command, args, env and cwd of a stdio spec", () => {
    const { spec, missing } = expandSpec(
      {
        name: "pg",
        transport: "stdio",
        command: "${BIN_DIR:-/usr/bin}/pg-mcp",
        args: ["--url", "${DATABASE_URL}"],
        env: { PGPASSWORD: "${PGPASSWORD}", MODE: "${MODE:-ro}" },
        cwd: "${HOME}/work",
      },
      { DATABASE_URL: "postgres://x", HOME: "/home/u" },
    );
    expect(spec).toMatchObject({
      command: "/usr/bin/pg-mcp",
      args: ["--url", "postgres://x"],
      env: { PGPASSWORD: "", MODE: "ro" },
      cwd: "/home/u/work",
    });
    expect(missing).toEqual(["PGPASSWORD"]);
  });

  it("expands url and headers of a remote spec and names the server of each missing variable", () => {
    const { specs, missing } = expandSpecs(
      [
        {
          name: "gh",
          transport: "http",
          url: "https://${GH_HOST:-api.github.com}/mcp",
          headers: { Authorization: "Bearer ${GITHUB_TOKEN}" },
        },
        { name: "ok", transport: "sse", url: "http://127.0.0.1:${PORT}/sse", headers: {} },
      ],
      { PORT: "9000" },
    );
    expect(specs[0]).toMatchObject({
      url: "https://api.github.com/mcp",
      headers: { Authorization: "Bearer " },
    });
    expect(specs[1]).toMatchObject({ url: "http://127.0.0.1:9000/sse" });
    expect(missing).toEqual([{ server: "gh", variable: "GITHUB_TOKEN" }]);
  });
});

describe("buildChildEnv", () => {
  const parent = {
    PATH: "/usr/bin",
    HOME: "/home/u",
    LANG: "C.UTF-8",
    LC_ALL: "C",
    TZ: "UTC",
    TMPDIR: "/tmp",
    OPENAI_API_KEY: "sk-parent",
    SECRET_CANARY: "canary",
    BASH_FUNC_x: "() { evil; }",
    TERM: "() { evil; }",
  };

  it("keeps the safe base, adds the spec's own env, drops everything else", () => {
    const env = buildChildEnv({ API_KEY: "mine", PATH: "/opt/bin" }, parent, "linux");
    expect(env).toEqual({
      PATH: "/opt/bin",
      HOME: "/home/u",
      LANG: "C.UTF-8",
      LC_ALL: "C",
      TZ: "UTC",
      TMPDIR: "/tmp",
      API_KEY: "mine",
    });
  });

  it("matches Windows names case-insensitively", () => {
    const env = buildChildEnv(
      {},
      { Path: "C:\\Windows", SystemRoot: "C:\\Windows", AWS_SECRET: "x" },
      "win32",
    );
    expect(env).toEqual({ Path: "C:\\Windows", SystemRoot: "C:\\Windows" });
  });
});
