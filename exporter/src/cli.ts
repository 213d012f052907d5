#!/usr/bin/env node
/**
 * `chroma-exporter`: the sidecar for services that are not Node programs
 * (the ChromaDB containers), and `chroma-exporter postgres` for the probe.
 */
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { errorMessage } from '@chroma-monitor/shared';
import { AUTH_ARG_OPTIONS, AUTH_USAGE, readAuthOptions } from './auth-options.js';
import { startResourceMonitoring } from './resource-monitor.js';

const USAGE = `Usage: npx chroma-exporter --service NAME [--port 9464] [--host 0.0.0.0] [--disk PATH]... [--bearer-token-file FILE | --basic-auth-user USER --basic-auth-password-file FILE] [--chroma-url URL [--chroma-path DIR]]
           npx chroma-exporter postgres --database-url-file FILE [--service chroma-metadata] [--port 9187] [--limit 1GiB] [auth options]
  --service NAME                   value of the service label (required)
  --port PORT                      listen port (default 9464)
  --host HOST                      listen address (default 0.0.0.0)
  --disk PATH                      a path whose filesystem is watched; repeatable (default: working directory)
  --chroma-url URL                 also probe this ChromaDB (chroma_up, collections, records), e.g. http://127.0.0.1:8000
  --chroma-path DIR                ChromaDB's persist directory (chroma run --path), for chroma_persist_directory_bytes
  --default-metrics                also serve prom-client's process_* and nodejs_* metrics of the sidecar itself (off: they
                                   describe this Node process, not the service, and collecting them is most of its garbage)
${AUTH_USAGE}`;

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
        ...AUTH_ARG_OPTIONS,
        'chroma-url': { type: 'string' },
        'chroma-path': { type: 'string' },
        'default-metrics': { type: 'boolean' },
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
  const auth = readAuthOptions(values, process.env);
  if (!auth.ok) return usage(auth.message);
  // A watched path that does not exist would only ever give "no disk series": refuse to start instead (SPEC §8).
  for (const path of values.disk ?? []) {
    try {
      statSync(path);
    } catch (error) {
      return usage(`--disk ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : errorMessage(error)}`);
    }
  }
  const chromaUrl = values['chroma-url'];
  if (chromaUrl !== undefined && !/^https?:\/\/[^/]/.test(chromaUrl)) return usage(`--chroma-url must be an http(s) URL, got "${chromaUrl}"`);
  if (values['chroma-path'] !== undefined && chromaUrl === undefined) return usage('--chroma-path needs --chroma-url');
  const host = values.host ?? '0.0.0.0';
  // Listen for SIGTERM before announcing readiness, so a supervisor's immediate stop is clean.
  const stopRequested = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  const monitor = startResourceMonitoring(values.service, {
    port,
    host,
    collectDefaultMetrics: values['default-metrics'] ?? false,
    ...(values.disk ? { diskPaths: values.disk } : {}),
    ...(auth.auth ? { auth: auth.auth.kind === 'bearer' ? { bearerToken: auth.auth.token } : { username: auth.auth.username, password: auth.auth.password } } : {}),
    ...(chromaUrl ? { chroma: { url: chromaUrl, persistPath: values['chroma-path'] ?? null } } : {}),
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
