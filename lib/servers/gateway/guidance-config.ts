import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Document, parseDocument } from "yaml";
import { z } from "zod";
import { ConfigError } from "../../core/errors.ts";
import type { GuidanceLevel } from "./guidance.ts";
import { homeDir } from "./state-dir.ts";
import { readStructuredFile } from "./structured-file.ts";

type Env = Record<string, string | undefined>;

export const GUIDANCE_LEVELS = ["off", "minimal", "standard"] as const;

export interface GuidanceLayers {
  /** L0: the workflow and capability lines of the server instructions beyond the first one. */
  mcp_instructions: boolean;
  /** L1: `code_hint` on search cards. */
  code_hints: boolean;
  /** L2: `code_snippet` in describe. */
  code_snippets: boolean;
  /** L3: the `pmcp://guidance/code-execution` resource. */
  methodology_resource: boolean;
}

/** PMCP's `~/.claude/gateway-guidance.yaml` (unknown keys rejected, like the policy file). */
const GuidanceFileSchema = z
  .object({
    guidance: z
      .object({
        level: z.enum(GUIDANCE_LEVELS).optional(),
        layers: z
          .object({
            mcp_instructions: z.boolean().optional(),
            code_hints: z.boolean().optional(),
            code_snippets: z.boolean().optional(),
            methodology_resource: z.boolean().optional(),
          })
          .strict()
          .optional(),
        // PMCP's key, accepted so a PMCP file keeps working; not acted on.
        custom_instructions: z.string().optional(),
        /** Failure results carry a `feedback_hint` (default true); `pmcp guidance --telemetry off` sets it. */
        enable_telemetry: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface GuidanceSettings {
  level: GuidanceLevel;
  /** Where the level came from. */
  levelSource: "flag" | "env" | "file" | "default";
  file: string;
  fileExists: boolean;
  layers: GuidanceLayers;
  /** PMCP's `enable_telemetry`: failure results carry a `feedback_hint` pointing at submit_feedback. */
  telemetry: boolean;
}

export function guidanceFilePath(env: Env): string {
  return join(homeDir(env), ".claude", "gateway-guidance.yaml");
}

/** What each level turns on (PMCP's presets: minimal = L0, L1, L3; standard adds L2). */
export function presetLayers(level: GuidanceLevel): GuidanceLayers {
  return {
    mcp_instructions: level !== "off",
    code_hints: level !== "off",
    code_snippets: level === "standard",
    methodology_resource: level !== "off",
  };
}

/**
 * Effective guidance: the level is --guidance, then PMCP_GUIDANCE, then the file's `guidance.level`,
 * then minimal. The level decides which layers exist; a layer set to `false` in the file switches that
 * layer off, and `true` cannot add a layer the level leaves out. A malformed file is a ConfigError with
 * file:line.
 */
export function loadGuidance(flag: string | undefined, env: Env): GuidanceSettings {
  const file = guidanceFilePath(env);
  const fileExists = existsSync(file);
  const data = fileExists ? readStructuredFile(file, GuidanceFileSchema, "guidance").guidance : undefined;
  const pick = (value: string | undefined, name: string): GuidanceLevel | undefined => {
    if (value === undefined || !value.trim()) return undefined;
    const v = value.trim();
    if ((GUIDANCE_LEVELS as readonly string[]).includes(v)) return v as GuidanceLevel;
    throw new ConfigError(`${name}: expected one of ${GUIDANCE_LEVELS.join(", ")}`);
  };
  let level: GuidanceLevel = "minimal";
  let levelSource: GuidanceSettings["levelSource"] = "default";
  const fromFlag = pick(flag, "--guidance");
  const fromEnv = pick(env.PMCP_GUIDANCE, "PMCP_GUIDANCE");
  if (fromFlag) [level, levelSource] = [fromFlag, "flag"];
  else if (fromEnv) [level, levelSource] = [fromEnv, "env"];
  else if (data?.level) [level, levelSource] = [data.level, "file"];
  const layers = presetLayers(level);
  for (const [k, v] of Object.entries(data?.layers ?? {})) {
    if (v === false) layers[k as keyof GuidanceLayers] = false;
  }
  return { level, levelSource, file, fileExists, layers, telemetry: data?.enable_telemetry ?? true };
}

/**
 * Sets `guidance.enable_telemetry` in the guidance file (created when missing), keeping every other key
 * and comment. The file is read back through the schema first, so a broken file is reported, not
 * overwritten.
 */
export function writeTelemetry(env: Env, enabled: boolean): string {
  const file = guidanceFilePath(env);
  if (existsSync(file)) readStructuredFile(file, GuidanceFileSchema, "guidance");
  const doc = existsSync(file) ? parseDocument(readFileSync(file, "utf8")) : new Document({});
  doc.setIn(["guidance", "enable_telemetry"], enabled);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, doc.toString());
  return file;
}
