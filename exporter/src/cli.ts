#!/usr/bin/env node
/**
 * `chroma-exporter`: the sidecar for services that are not Node programs
 * (the ChromaDB containers), and `chroma-exporter postgres` for the probe.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { errorMessage } from '@chroma-monitor/shared';
import { startResourceMonitoring } from './resource-monitor.js';

const USAGE = `Usage: npx chroma-exporter --service NAME [--port 9464] [--host 0.0.0.0] [--disk PATH]... [--bearer-token-file FILE]
           npx chroma-exporter postgres --database-url URL [--service chroma-metadata] [--port 9187] [--limit 1GiB]
  --service NAME            value of the service label (required)
  --port PORT               listen port (default 9464)
  --host HOST               listen address (default 0.0.0.0)
  --disk PATH               a path whose filesystem is watched; repeatable (default: working directory)
  --bearer-token-file FILE  require this bearer token on /metrics (or env EXPORTER_BEARER_TOKEN)
`;

function usage(message: string): number {
  process.stderr.write(`chroma-exporter: ${message}\n\n${USAGE}`);
  return 2;
}

async function runSidecar(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        service: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        disk: { type: 'string', multiple: true },
        'bearer-token-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return usage(errorMessage(error));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!values.service) return usage('--service is required');
  const port = Number(values.port ?? 9464);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port must be 0-65535, got "${values.port}"`);
  let token = process.env.EXPORTER_BEARER_TOKEN || null;
  if (values['bearer-token-file']) {
    try {
      token = readFileSync(values['bearer-token-file'], 'utf8').trim();
    } catch (error) {
      return usage(`cannot read --bearer-token-file: ${errorMessage(error)}`);
    }
  }
  const host = values.host ?? '0.0.0.0';
  // Listen for SIGTERM before announcing readiness, so a supervisor's immediate stop is clean.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  const monitor = startResourceMonitoring(values.service, {
    port,
    host,
    ...(values.disk ? { diskPaths: values.disk } : {}),
    ...(token ? { auth: { bearerToken: token } } : {}),
  });
  let url: string | null;
  try {
    url = await monitor.ready;
  } catch (error) {
    process.stderr.write(`chroma-exporter: cannot listen on ${host}:${port}: ${errorMessage(error)}\n`);
    return 1;
  }
  process.stdout.write(`chroma-exporter: listening on ${url}/metrics for service ${values.service}\n`);
  await stopRequested;
  await monitor.stopMonitoring();
  return 0;
}

const [first, ...rest] = process.argv.slice(2);
// The probe (and pg) is loaded only for `chroma-exporter postgres`: the sidecar stays small.
const run = first === 'postgres' ? import('./postgres/index.js').then((m) => m.runPostgresCommand(rest)) : runSidecar(process.argv.slice(2));
run.then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chroma-exporter: ${errorMessage(error)}\n`);
    process.exit(1);
  },
);
