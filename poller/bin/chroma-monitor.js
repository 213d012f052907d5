#!/usr/bin/env node
// The `chroma-monitor` command. A committed shim, so npm links it into node_modules/.bin
// during `npm ci` (npm links workspace bins before `prepare` builds dist/).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('chroma-monitor: not built yet (no poller/dist/cli.js); run: npm run build\n');
  process.exit(1);
}
await import(cli.href);
