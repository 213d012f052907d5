/**
 * pg (node-postgres), loaded without the cost of its Cloudflare check (issue 15).
 *
 * When it loads, pg/lib/stream.js asks whether it runs on Cloudflare Workers:
 * it reads `navigator.userAgent`, and where there is no `navigator` global
 * (Node 20; Node 21 defines one) it constructs a fetch `Response` instead.
 * That loads Node's fetch implementation (undici) and with it node:tls and
 * node:http2: measured ~6 MB of RSS (`require('pg')` +14.2 MB, +7.9 MB with a
 * navigator present) for a question whose answer in Node is always no.
 */
import { createRequire } from 'node:module';
import type * as Pg from 'pg';

const require = createRequire(import.meta.url);
let driver: typeof Pg | null = null;

/**
 * The pg module (what `import pg from 'pg'` gives). Where Node defines no
 * `navigator`, one with Node's user agent (what Node 21 defines) is present
 * only while pg loads: the require is synchronous, so no other code sees it.
 */
export function loadPg(): typeof Pg {
  if (driver) return driver;
  const addNavigator = !('navigator' in globalThis);
  if (addNavigator) {
    const userAgent = `Node.js/${process.versions.node.split('.')[0]}`;
    Object.defineProperty(globalThis, 'navigator', { value: { userAgent }, configurable: true, writable: true, enumerable: false });
  }
  try {
    driver = require('pg') as typeof Pg;
  } finally {
    if (addNavigator) delete (globalThis as { navigator?: unknown }).navigator;
  }
  return driver;
}
