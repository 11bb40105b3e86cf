import type { ElicitRequest, McpServer } from "@modelcontextprotocol/server";
import { completable, ResourceTemplate } from "@modelcontextprotocol/server";
import * as z from "zod";

// Testing aid only (`--conformance-fixtures`): the tools, resources and prompts that the official
// conformance suite's scenarios look for, registered on the same McpServer a real session uses.

/** A 1×1 red PNG. */
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
/** A tiny silent WAV (44-byte header + 2 samples). */
const WAV = "UklGRiwAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQQAAAAAAAAA";

const annotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function text(t: string) {
  return { content: [{ type: "text" as const, text: t }] };
}

function registerTools(server: McpServer): void {
  const fixed = (name: string, content: () => ReturnType<typeof text>["content"] | unknown[]) =>
    server.registerTool(
      name,
      { title: name, description: `Conformance fixture ${name}`, annotations },
      async () => ({
        content: content() as ReturnType<typeof text>["content"],
      }),
    );
  fixed("test_simple_text", () => text("This is a simple text response for testing.").content);
  fixed("test_image_content", () => [{ type: "image", data: PNG, mimeType: "image/png" }]);
  fixed("test_audio_content", () => [{ type: "audio", data: WAV, mimeType: "audio/wav" }]);
  fixed("test_embedded_resource", () => [
    {
      type: "resource",
      resource: {
        uri: "test://embedded-resource",
        mimeType: "text/plain",
        text: "This is an embedded resource content.",
      },
    },
  ]);
  fixed("test_multiple_content_types", () => [
    { type: "text", text: "Multiple content types test:" },
    { type: "image", data: PNG, mimeType: "image/png" },
    {
      type: "resource",
      resource: {
        uri: "test://mixed-content-resource",
        mimeType: "application/json",
        text: JSON.stringify({ test: "data", value: 123 }),
      },
    },
  ]);

  server.registerTool(
    "test_tool_with_logging",
    { title: "logging fixture", description: "Sends three log notifications", annotations },
    async (extra) => {
      const log = (data: string) =>
        extra.mcpReq.notify({ method: "notifications/message", params: { level: "info", data } });
      await log("Tool execution started");
      await sleep(50);
      await log("Tool processing data");
      await sleep(50);
      await log("Tool execution completed");
      return text("Logging test completed");
    },
  );

  server.registerTool(
    "test_tool_with_progress",
    { title: "progress fixture", description: "Reports progress 0, 50, 100 of 100", annotations },
    async (extra) => {
      const token = extra.mcpReq._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (token !== undefined) {
          await extra.mcpReq.notify({
            method: "notifications/progress",
            params: { progressToken: token, progress, total: 100 },
          });
        }
        if (progress < 100) await sleep(50);
      }
      return text("Progress test completed");
    },
  );

  server.registerTool(
    "test_error_handling",
    { title: "error fixture", description: "Always fails", annotations },
    async () => ({ ...text("This tool intentionally returns an error for testing"), isError: true }),
  );

  server.registerTool(
    "test_sampling",
    {
      title: "sampling fixture",
      description: "Asks the client to sample",
      inputSchema: z.object({ prompt: z.string() }),
      annotations,
    },
    async ({ prompt }) => {
      const r = await server.server.createMessage({
        messages: [{ role: "user", content: { type: "text", text: prompt } }],
        maxTokens: 100,
      });
      const content = r.content as { type: string; text?: string };
      return text(`LLM response: ${content.type === "text" ? content.text : JSON.stringify(content)}`);
    },
  );

  const elicit = async (params: ElicitRequest["params"]) => server.server.elicitInput(params);

  server.registerTool(
    "test_elicitation",
    {
      title: "elicitation fixture",
      description: "Asks the user for input",
      inputSchema: z.object({ message: z.string() }),
      annotations,
    },
    async ({ message }) => {
      const r = await elicit({
        message,
        requestedSchema: {
          type: "object",
          properties: {
            username: { type: "string", description: "User's response" },
            email: { type: "string", description: "User's email address" },
          },
          required: ["username", "email"],
        },
      });
      return text(`User response: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
    },
  );

  server.registerTool(
    "test_elicitation_sep1034_defaults",
    { title: "elicitation defaults fixture", description: "Elicits with defaults", annotations },
    async () => {
      const r = await elicit({
        message: "Please confirm your details",
        requestedSchema: {
          type: "object",
          properties: {
            name: { type: "string", default: "John Doe" },
            age: { type: "integer", default: 30 },
            score: { type: "number", default: 95.5 },
            status: { type: "string", enum: ["active", "inactive", "pending"], default: "active" },
            verified: { type: "boolean", default: true },
          },
        },
      });
      return text(`Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
    },
  );

  server.registerTool(
    "test_elicitation_sep1330_enums",
    { title: "elicitation enums fixture", description: "Elicits with five enum styles", annotations },
    async () => {
      const r = await elicit({
        message: "Pick options",
        requestedSchema: {
          type: "object",
          properties: {
            untitledSingle: { type: "string", enum: ["option1", "option2", "option3"] },
            titledSingle: {
              type: "string",
              oneOf: [
                { const: "value1", title: "First Option" },
                { const: "value2", title: "Second Option" },
                { const: "value3", title: "Third Option" },
              ],
            },
            legacyEnum: {
              type: "string",
              enum: ["opt1", "opt2", "opt3"],
              enumNames: ["Option One", "Option Two", "Option Three"],
            },
            untitledMulti: {
              type: "array",
              items: { type: "string", enum: ["option1", "option2", "option3"] },
            },
            titledMulti: {
              type: "array",
              items: {
                anyOf: [
                  { const: "value1", title: "First Choice" },
                  { const: "value2", title: "Second Choice" },
                  { const: "value3", title: "Third Choice" },
                ],
              },
            },
          },
        } as unknown as Extract<ElicitRequest["params"], { requestedSchema: unknown }>["requestedSchema"],
      });
      return text(`Elicitation completed: action=${r.action}, content=${JSON.stringify(r.content ?? {})}`);
    },
  );
}

function registerResources(server: McpServer): void {
  server.registerResource(
    "static-text",
    "test://static-text",
    { description: "Static text fixture", mimeType: "text/plain" },
    async (uri) => ({
      contents: [
        { uri: uri.href, mimeType: "text/plain", text: "This is the content of the static text resource." },
      ],
    }),
  );
  server.registerResource(
    "static-binary",
    "test://static-binary",
    { description: "Static binary fixture", mimeType: "image/png" },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: "image/png", blob: PNG }] }),
  );
  server.registerResource(
    "watched-resource",
    "test://watched-resource",
    { description: "Subscribable fixture", mimeType: "text/plain" },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: "text/plain", text: "watched" }] }),
  );
  server.registerResource(
    "template-data",
    new ResourceTemplate("test://template/{id}/data", { list: undefined }),
    { description: "Template fixture", mimeType: "application/json" },
    async (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: "application/json",
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
        },
      ],
    }),
  );
  const subscriptions = new Set<string>();
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler("resources/subscribe", async (req) => {
    subscriptions.add(req.params.uri);
    return {};
  });
  server.server.setRequestHandler("resources/unsubscribe", async (req) => {
    subscriptions.delete(req.params.uri);
    return {};
  });
}

function registerPrompts(server: McpServer): void {
  server.registerPrompt("test_simple_prompt", { description: "Simple prompt fixture" }, () => ({
    messages: [{ role: "user", content: { type: "text", text: "This is a simple prompt for testing." } }],
  }));
  server.registerPrompt(
    "test_prompt_with_arguments",
    {
      description: "Prompt fixture with arguments",
      argsSchema: z.object({
        arg1: completable(z.string().describe("First test argument"), (v) =>
          ["paris", "park", "party"].filter((s) => s.startsWith(v ?? "")),
        ),
        arg2: z.string().describe("Second test argument"),
      }),
    },
    ({ arg1, arg2 }) => ({
      messages: [
        {
          role: "user",
          content: { type: "text", text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` },
        },
      ],
    }),
  );
  server.registerPrompt(
    "test_prompt_with_embedded_resource",
    { description: "Prompt fixture with a resource", argsSchema: z.object({ resourceUri: z.string() }) },
    ({ resourceUri }) => ({
      messages: [
        {
          role: "user",
          content: {
            type: "resource",
            resource: {
              uri: resourceUri,
              mimeType: "text/plain",
              text: "Embedded resource content for testing.",
            },
          },
        },
        { role: "user", content: { type: "text", text: "Please process the embedded resource above." } },
      ],
    }),
  );
  server.registerPrompt("test_prompt_with_image", { description: "Prompt fixture with an image" }, () => ({
    messages: [
      { role: "user", content: { type: "image", data: PNG, mimeType: "image/png" } },
      { role: "user", content: { type: "text", text: "Please analyze the image above." } },
    ],
  }));
}

/** Adds every conformance fixture to a not-yet-connected server. */
export function registerConformanceFixtures(server: McpServer): void {
  registerTools(server);
  registerResources(server);
  registerPrompts(server);
}
