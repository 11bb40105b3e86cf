import { bool, custom, int, num, text } from "../../core/settings/declare.ts";

// Every setting of `mcpkit ptm`: ptm-mcp's variables, names, defaults and wording. A missing or bad value
// exits 1 (ptm-mcp's contract; ptmCommand.configExitCode). The README's settings table is generated from
// this list.

export const DEFAULT_BACKOFF_MS = [1000, 2000, 4000, 8000, 16000];
export const DEFAULT_MAX_ROWS = 500;

export const ptmSettings = {
  baseUrl: custom({
    env: ["PTM_API_BASE_URL"],
    required: "is required: set it to your PTM backend, e.g. https://ptm.example.com",
    description: "the PTM backend, e.g. `https://ptm.example.com` (trailing `/` ignored; http or https)",
    schema: (z) =>
      z.string().transform((raw, ctx) => {
        const fail = (message: string) => {
          ctx.addIssue({ code: "custom", message });
          return z.NEVER;
        };
        let url: URL;
        try {
          url = new URL(raw);
        } catch {
          return fail("is not a valid URL: use the form https://ptm.example.com");
        }
        if (url.protocol !== "http:" && url.protocol !== "https:")
          return fail("must start with http:// or https://");
        if (url.username || url.password)
          return fail("must not carry credentials; put the token in PTM_API_TOKEN");
        return raw.replace(/\/+$/, "");
      }),
  }),
  token: text({
    env: ["PTM_API_TOKEN"],
    secret: true,
    required: "is required: set it to a PTM personal access token (ptm_u_…) or a service-account token",
    description:
      "bearer token (a personal `ptm_u_…` token; service-account tokens suit long-running agent sessions)",
  }),
  readOnly: bool({
    env: ["PTM_MCP_READ_ONLY"],
    default: true,
    invalid: "must be true or false (also 1/0, yes/no, on/off)",
    description: "`false` unlocks the 11 write tools",
  }),
  timeoutSeconds: num({
    env: ["PTM_MCP_TIMEOUT_SECONDS"],
    default: 30,
    min: 1,
    max: 600,
    invalid: "must be a number of seconds from 1 to 600",
    description: "per-request timeout in seconds, 1..600",
  }),
  cfAccessClientId: text({
    env: ["CF_ACCESS_CLIENT_ID"],
    description: "Cloudflare Access service-token id; set together with the secret",
  }),
  cfAccessClientSecret: text({
    env: ["CF_ACCESS_CLIENT_SECRET"],
    secret: true,
    description: "Cloudflare Access service-token secret; set together with the id",
  }),
  cfAccessJwt: text({
    env: ["CF_ACCESS_JWT"],
    secret: true,
    description: "Cloudflare Access user JWT (instead of the service-token pair)",
  }),
  cfAutoDiscover: bool({
    env: ["PTM_CF_AUTO_DISCOVER"],
    default: true,
    invalid: "must be true or false (also 1/0, yes/no, on/off)",
    description: "`false` stops asking `cloudflared` for a token on a Cloudflare Access challenge",
  }),
  tools: text({
    flag: "--tools <names>",
    env: ["PTM_MCP_TOOLS"],
    defaultText: "all",
    description: "expose only these tools (comma-separated); an unknown name exits 2",
  }),
  excludeTools: text({
    flag: "--exclude-tools <names>",
    env: ["PTM_MCP_EXCLUDE_TOOLS"],
    defaultText: "none",
    description: "hide these tools (comma-separated); an unknown name exits 2",
  }),
  maxRows: int({
    env: ["PTM_MCP_MAX_ROWS"],
    default: DEFAULT_MAX_ROWS,
    min: 1,
    max: 10_000,
    invalid: "must be an integer from 1 to 10000",
    description: "most rows a list tool gathers across backend pages (1..10000)",
  }),
  preflightBackoffMs: custom({
    env: ["PTM_MCP_PREFLIGHT_BACKOFF_MS"],
    default: DEFAULT_BACKOFF_MS,
    invalid: "must be a comma-separated list of waits in ms (0-60000 each)",
    description:
      "testing aid: the waits between backend checks (`check`: between `/healthz` attempts), comma-separated ms",
    schema: (z) =>
      z.string().transform((raw, ctx) => {
        const waits = raw.split(",").map((s) => Number(s.trim()));
        if (waits.some((n) => !Number.isInteger(n) || n < 0 || n > 60_000)) {
          ctx.addIssue({ code: "custom", message: "invalid list" });
          return z.NEVER;
        }
        return waits;
      }),
  }),
};

export type PtmSettings = typeof ptmSettings;
