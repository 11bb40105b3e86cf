import { main } from "./lib/cli/main.ts";

await main(process.argv.slice(2), [process.argv[1] ?? "", process.argv0 ?? "", process.execPath]);
