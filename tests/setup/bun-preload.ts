import { ensureBundle } from "./build.ts";

await ensureBundle();
