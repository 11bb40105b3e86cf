import { PMCP_EXAMPLES } from "./pmcp.ts";
import { PTC_EXAMPLES } from "./ptc-mcp.ts";
import { PTM_EXAMPLES } from "./ptm-mcp.ts";
import { PTY_EXAMPLES } from "./pty-mcp.ts";
import { TRUEPPM_EXAMPLES } from "./trueppm-mcp.ts";
import type { SeedExample } from "./types.ts";

/** Every example of the five seeds, in the order of the README table. */
export const ALL_EXAMPLES: readonly SeedExample[] = [
  ...PMCP_EXAMPLES,
  ...PTC_EXAMPLES,
  ...PTY_EXAMPLES,
  ...PTM_EXAMPLES,
  ...TRUEPPM_EXAMPLES,
];
