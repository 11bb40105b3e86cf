// PMCP's whole manifest: every one of its 107 servers is known under PMCP's name, every entry validates and
// says how it can be verified, a server whose package is gone says why provision refuses it, a manifest
// server provisions through a stand-in npx, the auto-start pair is opt-in, and check:manifest marks what it
// cannot verify.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Manifest, ManifestEntrySchema } from "../../lib/servers/gateway/manifest.ts";
import { ROOT, type StdioSession, waitFor } from "../helpers/mcpkit.ts";
import { call, gateway, MEMORY, scratch, writeJson } from "./helpers.ts";

const TIMEOUT = 60_000;

/** PMCP 2.2.0's manifest, in its order (research/pmcp-manifest-table.md). */
const PMCP_SERVERS =
  `playwright context7 filesystem memory fetch sequential-thinking git sqlite time postgres qdrant
supabase puppeteer browserbase browser-use chrome-devtools github gitlab sentry github-remote sentry-remote slack
linear notion google-drive google-maps brave-search exa firecrawl tavily brightdata everart pangram coinmarketcap
aws-kb-retrieval hubspot salesforce cloudflare heroku vercel atlassian-rovo hugging-face railway neon azure stripe
xero paypal twilio telnyx mailgun line mysql mongodb clickhouse neo4j meilisearch circleci argocd kubernetes postman
eslint index-it-mcp jira confluence asana clickup todoist plane figma miro excalidraw mux elevenlabs datadog grafana
dynatrace langfuse airtable contentful webflow wordpress obsidian perplexity apify jina hyperbrowser mapbox dbt
tailscale home-assistant excel airbnb okta zapier shopify-dev square snowflake pinecone azure-devops gitlab-duo
elasticsearch chroma redis databricks storybook cloudinary`.split(/\s+/);

const PMCP_CATEGORIES = [
  "browser automation",
  "scraping/search",
  "APIs",
  "databases",
  "developer tools",
  "cloud/storage",
  "CRM & sales",
  "payments",
  "project management",
  "design & media",
  "monitoring",
  "CMS & content",
  "communication",
];

describe("the shipped manifest", () => {
  const m = new Manifest();

  it("knows all 107 of PMCP's servers by PMCP's names, in PMCP's 13 categories", () => {
    expect(PMCP_SERVERS).toHaveLength(107);
    expect(m.size).toBeGreaterThanOrEqual(107);
    const missing = PMCP_SERVERS.filter((n) => !m.get(n));
    expect(missing).toEqual([]);
    expect(Object.keys(m.categories).sort()).toEqual([...PMCP_CATEGORIES].sort());
    for (const e of m.all()) expect(PMCP_CATEGORIES).toContain(e.category);
    // PMCP's own placements carry over.
    expect(m.get("hubspot")!.category).toBe("CRM & sales");
    expect(m.get("context7")!.category).toBe("developer tools");
    expect(m.get("brave-search")!.category).toBe("scraping/search");
  });

  it("every entry validates and says how it is verified; launch facts are PMCP's", () => {
    const raw = JSON.parse(readFileSync(resolve(ROOT, "lib/servers/gateway/data/manifest.json"), "utf8")) as {
      servers: unknown[];
    };
    expect(raw.servers).toHaveLength(m.size);
    for (const s of raw.servers) {
      const e = ManifestEntrySchema.parse(s);
      const expected = e.url ? "unverified-remote" : e.command === "uvx" ? "unverified-pypi" : "npm";
      expect({ name: e.name, verification: e.verification }).toEqual({
        name: e.name,
        verification: expected,
      });
    }
    const hubspot = m.get("hubspot")!;
    expect([hubspot.command, ...hubspot.args]).toEqual(["npx", "-y", "@hubspot/mcp-server"]);
    expect(hubspot.env_var).toBe("HUBSPOT_ACCESS_TOKEN");
    expect([m.get("fetch")!.command, ...m.get("fetch")!.args]).toEqual(["uvx", "mcp-server-fetch"]);
    expect(m.get("gitlab-duo")!.url).toBe("https://gitlab.com/api/v4/mcp");
    expect(m.get("brightdata")!.env_var).toBe("API_TOKEN");
    // Where the launch is not PMCP's, the entry says what PMCP launches and why.
    for (const name of ["linear", "sentry", "todoist", "obsidian", "excel"]) {
      expect(m.get(name)!.pmcp_differs).toMatch(/PMCP launches/);
    }
  });

  it("servers whose package is gone carry a reason; the auto-start pair is marked", () => {
    const gone = m.all().filter((e) => e.not_available);
    expect(gone.map((e) => e.name).sort()).toEqual(
      ["clickup", "coinmarketcap", "confluence", "mailgun", "okta", "tailscale", "wordpress"].sort(),
    );
    for (const e of gone) expect(e.not_available).toMatch(/does not have \(404/);
    expect(
      m
        .all()
        .filter((e) => e.auto_start)
        .map((e) => e.name)
        .sort(),
    ).toEqual(["context7", "playwright"]);
  });
});

describe("provisioning manifest servers through the real gateway", () => {
  const s = scratch();
  const bin = join(s.dir, "bin");
  const launches = join(s.dir, "npx.log");
  let gw: StdioSession;
  let keyed: StdioSession;

  beforeAll(async () => {
    // A stand-in npx: records its arguments (and whether the HubSpot key reached it), then runs the real
    // server-memory, so `npx -y <any package>` becomes a working MCP server without the network.
    mkdirSync(bin, { recursive: true });
    const npx = join(bin, "npx");
    writeFileSync(
      npx,
      [
        "#!/bin/sh",
        `echo "npx $* key=\${HUBSPOT_ACCESS_TOKEN:+set}" >> "${launches}"`,
        // The child gets a minimal environment: say where the memory server keeps its graph here.
        `MEMORY_FILE_PATH="${s.dir}/memory-$$.jsonl" exec node "${MEMORY}"`,
        "",
      ].join("\n"),
    );
    chmodSync(npx, 0o755);
    // A config with one (unused) server keeps the built-ins from being mounted.
    const config = writeJson(join(s.dir, "cfg.mcp.json"), { mcpServers: { idle: { command: "true" } } });
    const env = { PATH: `${bin}:${process.env.PATH ?? ""}` };
    gw = await gateway(["--config", config], s.env(env), s.dir);
    keyed = await gateway(
      ["--config", config],
      s.env({ ...env, HUBSPOT_ACCESS_TOKEN: "hs-test-token", PMCP_LEGACY_MANIFEST_AUTOSTART: "1" }),
      s.dir,
    );
  }, TIMEOUT);

  afterAll(async () => {
    await gw?.close();
    await keyed?.close();
  }, TIMEOUT);

  it(
    "provision hubspot without its key names the key and the next step (it is in the manifest now)",
    async () => {
      const r = await call(gw.client, "provision", { server_name: "hubspot" });
      expect(r.isError).toBe(true);
      expect(r.text).not.toContain("neither configured nor in the manifest");
      expect(r.data).toMatchObject({ needs_api_key: true, env_var: "HUBSPOT_ACCESS_TOKEN" });
      expect(r.data.next_step).toContain("auth_connect");
    },
    TIMEOUT,
  );

  it(
    "provision of a not_available server returns the reason and starts nothing",
    async () => {
      const r = await call(gw.client, "provision", { server_name: "okta" });
      expect(r.isError).toBe(true);
      expect(r.data.status).toBe("not_available");
      expect(r.data.not_available).toContain("okta-mcp-server");
      expect(r.text).toContain("okta cannot be provisioned");
      const cap = await call(gw.client, "request_capability", { query: "use okta", available_clis: [] });
      expect(cap.data.candidates[0].not_available).toContain("404");
    },
    TIMEOUT,
  );

  it(
    "request_capability routes to PMCP's categories (and 'scrape a website' no longer lands in CMS & content)",
    async () => {
      const scrape = await call(gw.client, "request_capability", {
        query: "scrape a website",
        available_clis: [],
      });
      expect(scrape.data).toMatchObject({ status: "pick_from_category", category_name: "scraping/search" });
      expect(scrape.data.candidates.map((c: any) => c.name)).toContain("firecrawl");
      const crm = await call(gw.client, "request_capability", {
        query: "crm sales deals",
        available_clis: [],
      });
      expect(crm.data.category_name).toBe("CRM & sales");
      expect(crm.data.candidates.map((c: any) => c.name).sort()).toEqual(["hubspot", "salesforce"]);
    },
    TIMEOUT,
  );

  it(
    "provision memory launches `npx -y @modelcontextprotocol/server-memory` and its tools answer",
    async () => {
      const r = await call(gw.client, "provision", { server_name: "memory" });
      expect(r.isError).toBe(false);
      if (r.data.status !== "complete") {
        await waitFor(
          async () =>
            (await call(gw.client, "provision_status", { job_id: r.data.job_id })).data.status === "complete",
          30_000,
        );
      }
      expect(readFileSync(launches, "utf8")).toContain("npx -y @modelcontextprotocol/server-memory");
      const created = await call(gw.client, "invoke", {
        tool_id: "memory::create_entities",
        arguments: { entities: [{ name: "pmcp", entityType: "gateway", observations: ["drop-in"] }] },
      });
      expect(created.isError).toBe(false);
      const read = await call(gw.client, "invoke", { tool_id: "memory::read_graph", arguments: {} });
      expect(read.text).toContain("drop-in");
    },
    TIMEOUT,
  );

  it(
    "with its key set, hubspot provisions through PMCP's launch command and the key reaches the server",
    async () => {
      const r = await call(keyed.client, "provision", { server_name: "hubspot" });
      expect(r.isError).toBe(false);
      await waitFor(async () => {
        const h = await call(keyed.client, "health");
        return h.data.servers.some((x: any) => x.name === "hubspot" && x.tool_count > 0);
      }, 30_000);
      expect(readFileSync(launches, "utf8")).toContain("npx -y @hubspot/mcp-server key=set");
    },
    TIMEOUT,
  );

  it(
    "PMCP_LEGACY_MANIFEST_AUTOSTART=1 starts PMCP's auto-start pair (playwright, context7) with the gateway",
    async () => {
      await waitFor(async () => {
        const h = await call(keyed.client, "health");
        const up = (n: string) => h.data.servers.some((x: any) => x.name === n && x.tool_count > 0);
        return up("playwright") && up("context7");
      }, 30_000);
      const log = readFileSync(launches, "utf8");
      expect(log).toContain("npx -y @playwright/mcp@latest");
      expect(log).toContain("npx -y @upstash/context7-mcp");
      // Without the switch they are not started.
      const h = await call(gw.client, "health");
      expect(h.data.servers.map((x: any) => x.name)).not.toContain("playwright");
    },
    TIMEOUT,
  );

  it(
    "an autoStart list in .mcp.json opts a single manifest server in",
    async () => {
      const proj = join(s.dir, "proj");
      mkdirSync(proj, { recursive: true });
      writeJson(join(proj, ".mcp.json"), { autoStart: ["context7"], mcpServers: {} });
      const one = await gateway(
        ["--project", proj],
        s.env({ PATH: `${bin}:${process.env.PATH ?? ""}` }),
        proj,
      );
      try {
        await waitFor(async () => {
          const h = await call(one.client, "health");
          return h.data.servers.some((x: any) => x.name === "context7" && x.tool_count > 0);
        }, 30_000);
        const h = await call(one.client, "health");
        expect(h.data.servers.map((x: any) => x.name)).not.toContain("playwright");
      } finally {
        await one.close();
      }
    },
    TIMEOUT,
  );
});

describe("npm run check:manifest", () => {
  const s = scratch();
  const bin = join(s.dir, "bin");

  beforeAll(() => {
    // A stand-in npm: okta-mcp-server is gone, @hubspot/mcp-server is gone when FAKE_NPM_GONE is set,
    // everything else exists at 9.9.9.
    mkdirSync(bin, { recursive: true });
    const npm = join(bin, "npm");
    writeFileSync(
      npm,
      [
        "#!/bin/sh",
        'gone() { echo "npm error code E404" >&2; echo "npm error 404 Not Found - GET $1" >&2; exit 1; }',
        'case "$2" in',
        '  okta-mcp-server) gone "$2";;',
        '  @hubspot/mcp-server) [ -n "$FAKE_NPM_GONE" ] && gone "$2";;',
        "esac",
        'echo "{\\"name\\":\\"$2\\",\\"version\\":\\"9.9.9\\"}"',
        "",
      ].join("\n"),
    );
    chmodSync(npm, 0o755);
  });

  const check = (extra: Record<string, string> = {}) =>
    spawnSync(
      "node",
      [resolve(ROOT, "scripts/check-manifest.mjs"), "--json", "--only", "hubspot,okta,fetch,vercel,linear"],
      { env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, ...extra }, encoding: "utf8" },
    );

  it("checks npm packages, marks PyPI and remote entries as not verified here, and knows not_available", () => {
    const r = check();
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const by = Object.fromEntries(out.rows.map((x: any) => [x.server, x.status]));
    expect(by.hubspot).toBe("ok 9.9.9");
    expect(by.linear).toBe("ok 9.9.9");
    expect(by.okta).toBe("not_available (still not on npm)");
    expect(by.fetch).toBe("not verified here (pypi)");
    expect(by.vercel).toBe("not verified here (remote)");
    expect(out.not_verified).toEqual({ pypi: 1, docker: 0, remote: 1 });
  });

  it("a package that is gone fails the check and is named", () => {
    const r = check({ FAKE_NPM_GONE: "1" });
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.missing).toBe(1);
    expect(out.rows.find((x: any) => x.server === "hubspot").status).toBe("MISSING: not on the npm registry");
  });
});
