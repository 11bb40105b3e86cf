#!/usr/bin/env node
// npm installs this file as `trueppm-mcp` (= `mcpkit trueppm`). The server is picked from the name mcpkit was started
// through; this file, not the bundle, is the bin so that the name survives npm's Windows .cmd shims, which
// run `node <bin file>` and so pass this file's path where a POSIX symlink would pass the link's name.
import "../../dist/mcpkit.mjs";
