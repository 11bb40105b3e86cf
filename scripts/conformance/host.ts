// The conformance host: mcpkit's own CLI and command table, with every server's app wrapped so each
// instance it builds carries the conformance fixtures (ServerExtensions). Test-only: the production
// entry (main.ts) never imports this, so the shipped bundle has no fixture code. Built to
// dist/conformance/host.mjs by `npm run conformance`; run it like mcpkit: `host.mjs pty --transport http`.
import { InMemoryServerEventBus } from "@modelcontextprotocol/server";
import { SERVER_COMMANDS } from "../../lib/cli/commands.ts";
import { main } from "../../lib/cli/main.ts";
import type { ServerApp, ServerModule } from "../../lib/core/app.ts";
import type { ServerCommandSpec } from "../../lib/core/command-spec.ts";
import { echoCommand } from "../../tests/fixtures/echo-server.ts";
import { conformanceExtensions } from "./fixtures/index.ts";

function withFixtures(app: ServerApp): ServerApp {
  // The fixtures' list-change triggers need a bus for 2026-07-28 HTTP clients; the app's own if it has one.
  const events = app.events ?? new InMemoryServerEventBus();
  return {
    createServer: () => app.createServer(conformanceExtensions(events)),
    close: () => app.close(),
    listening: (url) => app.listening?.(url),
    events,
  };
}

function fixtureCommand(spec: ServerCommandSpec): ServerCommandSpec {
  const load = spec.load;
  if (!load) return spec;
  return {
    ...spec,
    load: async (): Promise<ServerModule> => {
      const mod = await load();
      return { start: async (ctx) => withFixtures(await mod.start(ctx)) };
    },
  };
}

await main(
  process.argv.slice(2),
  [process.argv[1] ?? ""],
  [...SERVER_COMMANDS, echoCommand].map(fixtureCommand),
);
