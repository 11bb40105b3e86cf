import type * as Z from "zod";

// A server's settings are data: each one names its flag, its variables (mcpkit's and the original's),
// its default and description, and a zod schema for its value. The command table imports these at
// start-up, so this file and every declaration stay free of runtime imports: a schema is a function of
// the zod namespace, built only when a server (or a subcommand) actually resolves its settings.

export type Zod = typeof Z;

/** A raw value as it arrives: a flag's or a variable's text, `true`/`false` for a switch, a caller's value. */
export type RawValue = unknown;

/** Turns a raw value into the setting's typed value, with messages that never quote the value. */
export type SettingSchema<T> = (z: Zod) => Z.ZodType<T>;

export interface Setting<T = unknown> {
  /**
   * Commander-style flags: "--max-sessions <n>" takes a value, "--enable-admin-tools" is a switch,
   * "-t, --transport <kind>" has a short form. Without one the setting is read from variables only.
   */
  flag?: string;
  /** Variables, read in order when the flag is absent: mcpkit's name (if any) first, then the original's. */
  env?: readonly string[];
  /** One line for --help and the README table: what it does, and the values it takes. */
  description: string;
  default?: T;
  /** How the default reads where it is computed or depends on something ("warn on stdio, info on http"). */
  defaultText?: string;
  /** Values offered by --help and shell completion. */
  choices?: readonly string[];
  /** A credential: registered with the redactor as soon as it is read, never shown. */
  secret?: boolean;
  /**
   * Start-up fails when nothing sets it; the text is the reason given, phrased after the variable
   * ("is required: set it to your backend's URL").
   */
  required?: string;
  /** Not in the original server (mcpkit's addition): marked _new_ in the README table. */
  extension?: boolean;
  /** Replaces every validation message of the schema (for an original's exact wording). */
  invalid?: string;
  /** The zod schema of the value; raw values are trimmed strings, booleans (switches) or caller values. */
  schema: SettingSchema<T>;
  /** A last check on the typed value; returns the reason when it is not acceptable. */
  check?: (value: T) => string | undefined;
}

export type SettingsSpec = Record<string, Setting<any>>;

/** The typed values a settings table resolves to. */
export type SettingValues<S extends SettingsSpec> = {
  [K in keyof S]: S[K] extends Setting<infer T> ? T : never;
};

/** The options every builder takes: everything but the schema and typed default. */
type Common = Omit<Setting, "schema" | "default" | "check">;

/** Optional unless it has a default or is required. */
type Out<O, T> = O extends { default: unknown } ? T : O extends { required: string } ? T : T | undefined;

const TRUE = ["1", "true", "yes", "on"];
const FALSE = ["0", "false", "no", "off"];

/** Free text (trimmed). */
export function text<
  const O extends Common & { default?: string; check?: (v: string) => string | undefined },
>(o: O): Setting<Out<O, string>> {
  const schema: SettingSchema<string> = (z) => z.string({ message: "expected text" });
  return { ...o, schema } as unknown as Setting<Out<O, string>>;
}

/** true/false, 1/0, yes/no, on/off (any case); a switch flag gives true. */
export function bool<const O extends Common & { default?: boolean }>(o: O): Setting<Out<O, boolean>> {
  const schema: SettingSchema<boolean> = (z) =>
    z.union([z.boolean(), z.string()]).transform((v, ctx) => {
      if (typeof v === "boolean") return v;
      const s = v.trim().toLowerCase();
      if (TRUE.includes(s)) return true;
      if (FALSE.includes(s)) return false;
      ctx.addIssue({ code: "custom", message: "expected true/false (1/0, yes/no, on/off)" });
      return z.NEVER;
    });
  return { ...o, schema } as unknown as Setting<Out<O, boolean>>;
}

interface NumberOptions {
  min?: number;
  max?: number;
}

function numberSchema(integer: boolean, { min, max }: NumberOptions): SettingSchema<number> {
  return (z) =>
    z.union([z.number(), z.string()]).transform((v, ctx) => {
      const n = typeof v === "number" ? v : v.trim() === "" ? Number.NaN : Number(v.trim());
      const fail = (message: string) => {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      };
      if (!Number.isFinite(n)) return fail("expected a number");
      if (integer && !Number.isInteger(n)) return fail("expected an integer");
      if (min !== undefined && n < min) return fail(`expected at least ${min}`);
      if (max !== undefined && n > max) return fail(`expected at most ${max}`);
      return n;
    });
}

/** A whole number, optionally bounded. */
export function int<const O extends Common & NumberOptions & { default?: number }>(
  o: O,
): Setting<Out<O, number>> {
  return { ...o, schema: numberSchema(true, o) } as unknown as Setting<Out<O, number>>;
}

/** A number (fractions allowed), optionally bounded. */
export function num<const O extends Common & NumberOptions & { default?: number }>(
  o: O,
): Setting<Out<O, number>> {
  return { ...o, schema: numberSchema(false, o) } as unknown as Setting<Out<O, number>>;
}

/**
 * One of a fixed set of words, matched exactly; `synonyms` maps other accepted spellings onto them
 * (`{ plain: "text" }`, Python's `{ warning: "warn" }`), matched without regard to case.
 */
export function choice<
  const V extends string,
  const O extends Common & { default?: V; synonyms?: Record<string, V>; ignoreCase?: boolean },
>(values: readonly V[], o: O): Setting<Out<O, V>> {
  const { synonyms, ignoreCase, ...rest } = o;
  return {
    ...rest,
    choices: values,
    schema: (z) =>
      z.string({ message: `expected one of ${values.join(", ")}` }).transform((v, ctx) => {
        const s = v.trim();
        const lower = s.toLowerCase();
        const hit = values.find((c) => c === s || (ignoreCase && c === lower));
        if (hit) return hit;
        const synonym = synonyms?.[lower];
        if (synonym) return synonym;
        ctx.addIssue({ code: "custom", message: `expected one of ${values.join(", ")}` });
        return z.NEVER;
      }),
  } as Setting<Out<O, V>>;
}

/** An http(s) URL without credentials. */
export function url<const O extends Common & { default?: string }>(o: O): Setting<Out<O, string>> {
  const schema: SettingSchema<string> = (z) =>
    z.string().transform((v, ctx) => {
      let parsed: URL;
      try {
        parsed = new URL(v.trim());
      } catch {
        ctx.addIssue({ code: "custom", message: "expected a URL (https://…)" });
        return z.NEVER;
      }
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
        ctx.addIssue({ code: "custom", message: "expected an http:// or https:// URL" });
        return z.NEVER;
      }
      return v.trim();
    });
  return { ...o, schema } as unknown as Setting<Out<O, string>>;
}

/** A setting whose value needs its own schema (durations, lists, patterns). */
export function custom<T, const O extends Common & { default?: T } = Common & { default?: T }>(
  o: O & { schema: SettingSchema<T>; check?: (value: T) => string | undefined },
): Setting<Out<O, T>> {
  return o as unknown as Setting<Out<O, T>>;
}

/**
 * The key a flag's value is stored under: its long name in camelCase (`--max-body-bytes` →
 * `maxBodyBytes`, `--no-color` → `color`), as commander names it.
 */
export function flagKey(flags: string): string | undefined {
  const long = /--([\w-]+)/.exec(flags)?.[1];
  if (!long) return undefined;
  return long.replace(/^no-/, "").replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Whether a flag takes a value (`--port <n>`, `--level [l]`) rather than being a switch. */
export function flagTakesValue(flags: string): boolean {
  return /[<[]/.test(flags);
}

/** The long flag itself (`--port`), for messages. */
export function longFlag(flags: string): string | undefined {
  return /--[\w-]+/.exec(flags)?.[0];
}
