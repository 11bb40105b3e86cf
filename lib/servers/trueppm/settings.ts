import { custom, text } from "../../core/settings/declare.ts";

// The two settings of `mcpkit trueppm`, trueppm-mcp's variables with its wording. The README's settings
// table is generated from this list.

const URL_HINT = "the base URL of your TruePPM instance, e.g. https://ppm.example.com";
const TOKEN_HINT = "a personal TruePPM API token (tppm_…) with the 'mcp:read' scope";

export const trueppmSettings = {
  apiUrl: custom({
    env: ["TRUEPPM_API_URL"],
    required: `is required (${URL_HINT})`,
    description:
      "your instance, e.g. `https://ppm.example.com`; a trailing `/` is dropped and `/api/v1` is appended unless it is already there (so `…/api/v1` and `…/api/v1/` work too)",
    schema: (z) =>
      z.string().transform((raw, ctx) => {
        const fail = (message: string) => {
          ctx.addIssue({ code: "custom", message });
          return z.NEVER;
        };
        let parsed: URL;
        try {
          parsed = new URL(raw);
        } catch {
          return fail(`is not a valid URL (${URL_HINT})`);
        }
        if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
          return fail("must start with http:// or https://");
        if (parsed.username || parsed.password)
          return fail("must not embed credentials; put the token in TRUEPPM_API_TOKEN");
        if (parsed.search || parsed.hash) return fail("must not carry a query string or fragment");
        return raw;
      }),
  }),
  token: text({
    env: ["TRUEPPM_API_TOKEN"],
    secret: true,
    required: `is required (${TOKEN_HINT})`,
    description: "a personal token (`tppm_<64 hex>`) minted with the `mcp:read` scope",
  }),
};

export type TrueppmSettings = typeof trueppmSettings;
