/**
 * TypeScript declarations from JSON Schema, for `inspect_tool`'s `typescript` field: an input type, an output
 * type (`unknown` when the server declares none) and the function, with JSDoc from the descriptions. Handles
 * $ref (local), anyOf/oneOf/allOf, enum/const, nested objects, arrays, tuples and additionalProperties;
 * nesting beyond MAX_DEPTH becomes `unknown`.
 */
type Schema = Record<string, unknown> | boolean;

const MAX_DEPTH = 8;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
}

function jsdoc(text: string | undefined, indent: string, extra: string[] = []): string {
  const lines = [...(text ? text.trim().split("\n") : []), ...extra].map((l) => l.replace(/\*\//g, "*\\/"));
  if (!lines.length) return "";
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

class Converter {
  constructor(private readonly root: Record<string, unknown>) {}

  private resolve(ref: string): Schema | undefined {
    if (!ref.startsWith("#")) return undefined;
    let node: unknown = this.root;
    for (const raw of ref.slice(1).split("/").filter(Boolean)) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      if (!node || typeof node !== "object") return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node as Schema | undefined;
  }

  type(schema: Schema | undefined, depth: number, indent: string): string {
    if (schema === undefined || schema === true) return "unknown";
    if (schema === false) return "never";
    if (depth > MAX_DEPTH) return "unknown";
    const s = schema;
    if (typeof s.$ref === "string") return this.type(this.resolve(s.$ref), depth + 1, indent);
    if ("const" in s) return JSON.stringify(s.const);
    if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(" | ") || "never";
    const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
    if (Array.isArray(union))
      return this.join(
        union.map((u) => this.type(u, depth + 1, indent)),
        " | ",
      );
    if (Array.isArray(s.allOf))
      return this.join(
        (s.allOf as Schema[]).map((u) => this.type(u, depth + 1, indent)),
        " & ",
      );
    if (Array.isArray(s.type)) {
      return this.join(
        (s.type as string[]).map((t) => this.type({ ...s, type: t }, depth, indent)),
        " | ",
      );
    }
    switch (s.type) {
      case "string":
        return "string";
      case "number":
      case "integer":
        return "number";
      case "boolean":
        return "boolean";
      case "null":
        return "null";
      case "array":
        return this.array(s, depth, indent);
      case "object":
        return this.object(s, depth, indent);
      default:
        if (s.properties) return this.object(s, depth, indent);
        if (s.items) return this.array(s, depth, indent);
        return "unknown";
    }
  }

  private join(parts: string[], sep: string): string {
    const unique = [...new Set(parts)];
    if (unique.length === 1) return unique[0]!;
    return unique.map((p) => (p.includes(" | ") || p.includes(" & ") ? `(${p})` : p)).join(sep);
  }

  private array(s: Record<string, unknown>, depth: number, indent: string): string {
    if (Array.isArray(s.prefixItems)) {
      return `[${(s.prefixItems as Schema[]).map((i) => this.type(i, depth + 1, indent)).join(", ")}]`;
    }
    const item = this.type(s.items as Schema | undefined, depth + 1, indent);
    return /[|& ]/.test(item) && !item.startsWith("{") ? `Array<${item}>` : `${item}[]`;
  }

  object(s: Record<string, unknown>, depth: number, indent: string, paramPrefix?: string[]): string {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    const required = new Set((s.required as string[] | undefined) ?? []);
    const inner = `${indent}  `;
    const lines: string[] = [];
    for (const [key, prop] of Object.entries(props)) {
      const desc = typeof prop === "object" ? (prop.description as string | undefined) : undefined;
      const extra: string[] = [];
      if (typeof prop === "object" && prop.default !== undefined)
        extra.push(`@default ${JSON.stringify(prop.default)}`);
      if (paramPrefix && desc) paramPrefix.push(`@param input.${key} - ${desc.split("\n")[0]}`);
      const name = IDENT.test(key) ? key : JSON.stringify(key);
      lines.push(
        `${jsdoc(desc, inner, extra)}${inner}${name}${required.has(key) ? "" : "?"}: ${this.type(prop, depth + 1, inner)};`,
      );
    }
    const extraProps = s.additionalProperties;
    if (extraProps && typeof extraProps === "object") {
      lines.push(`${inner}[key: string]: ${this.type(extraProps as Schema, depth + 1, inner)};`);
    } else if (!lines.length) {
      return extraProps === false ? "{}" : "Record<string, unknown>";
    }
    return `{\n${lines.join("\n")}\n${indent}}`;
  }
}

/** The declaration block for one tool. */
export function toolDeclaration(tool: {
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}): string {
  const base = pascal(tool.name.replace(/^mcp__/, ""));
  const params: string[] = [];
  const input = new Converter(tool.inputSchema).object(tool.inputSchema, 0, "", params);
  const output = tool.outputSchema
    ? new Converter(tool.outputSchema).type(tool.outputSchema, 0, "")
    : "unknown";
  const doc = jsdoc(tool.description, "", [...params, `@returns Promise<${base}Output>`]);
  return [
    `type ${base}Input = ${input};`,
    `type ${base}Output = ${output};`,
    `${doc}declare function ${tool.name}(input: ${base}Input): Promise<${base}Output>;`,
  ].join("\n");
}
