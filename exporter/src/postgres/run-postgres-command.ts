/**
 * `chroma-exporter postgres --database-url-file FILE [--service chroma-metadata]
 * [--port 9187] [--host 0.0.0.0] [--limit 1GiB] [auth options]`: the probe
 * on its own server. The connection string comes from a file or from
 * DATABASE_URL (`--database-url URL` still works, but puts the password where
 * `ps` shows it: issue 11, fault 12). The sidecar's auth options keep
 * anonymous callers from running the query (fault 16). Resolves with the exit
 * code (0 after SIGTERM, 2 on bad flags or an empty secret source).
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { closeHttp, databaseUrlProblem, errorMessage, listenHttp, parseSize, redactUrl } from '@chroma-monitor/shared';
import { AUTH_ARG_OPTIONS, AUTH_USAGE, readAuthOptions, readSecretFile } from '../auth-options.js';
import { createExporterRouter } from '../metrics-handler.js';
import { createPostgresProbe, DEFAULT_PROBE_LIMIT_BYTES, DEFAULT_PROBE_SERVICE } from './postgres-probe.js';

export const POSTGRES_USAGE = `Usage: npx chroma-exporter postgres [--database-url-file FILE] [--service ${DEFAULT_PROBE_SERVICE}] [--port 9187] [--host 0.0.0.0] [--limit 1GiB] [auth options]
  --database-url-file FILE         file holding the PostgreSQL connection string (or env DATABASE_URL)
  --database-url URL               the connection string itself (visible in ps: prefer the file or DATABASE_URL)
  --service NAME                   value of the service label (default ${DEFAULT_PROBE_SERVICE})
  --port PORT                      listen port (default 9187)
  --host HOST                      listen address (default 0.0.0.0)
  --limit SIZE                     plan size limit, e.g. 1GiB (default 1GiB, the free tier)
${AUTH_USAGE}`;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export interface CommandStreams {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGTERM/SIGINT). */
  stopSignal: Promise<void>;
}

function processStreams(): CommandStreams {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stopSignal: new Promise((resolve) => {
      process.once('SIGTERM', () => resolve());
      process.once('SIGINT', () => resolve());
    }),
  };
}

function usageError(streams: CommandStreams, message: string): number {
  streams.stderr(`chroma-exporter postgres: ${message}\n\n${POSTGRES_USAGE}`);
  return 2;
}

export async function runPostgresCommand(argv: string[], streams: CommandStreams = processStreams()): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'database-url': { type: 'string' },
        'database-url-file': { type: 'string' },
        ...AUTH_ARG_OPTIONS,
        service: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return usageError(streams, errorMessage(error));
  }
  if (values.help) {
    streams.stdout(POSTGRES_USAGE);
    return 0;
  }
  if (values['database-url'] !== undefined && values['database-url-file'] !== undefined) return usageError(streams, 'use either --database-url-file or --database-url, not both');
  let databaseUrl = (values['database-url'] as string | undefined)?.trim() || streams.env.DATABASE_URL?.trim();
  if (values['database-url-file'] !== undefined) {
    const read = readSecretFile('--database-url-file', values['database-url-file'] as string);
    if (!read.ok) return usageError(streams, read.message);
    databaseUrl = read.value;
  }
  if (!databaseUrl) return usageError(streams, '--database-url-file (or DATABASE_URL) is required');
  // Checked before anything prints it: a file holding a bare password or a key=value string was
  // echoed whole in the "serving" line (only URL passwords are masked). The message never quotes it.
  const urlSource = values['database-url-file'] !== undefined ? `--database-url-file ${values['database-url-file'] as string}` : values['database-url'] !== undefined ? '--database-url' : 'DATABASE_URL';
  const urlProblem = databaseUrlProblem(databaseUrl);
  if (urlProblem) return usageError(streams, `${urlSource}: ${urlProblem}`);
  const auth = readAuthOptions(values as Record<string, string>, streams.env);
  if (!auth.ok) return usageError(streams, auth.message);
  const port = Number(values.port ?? 9187);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usageError(streams, `--port must be 0-65535, got "${values.port}"`);
  let limitBytes = DEFAULT_PROBE_LIMIT_BYTES;
  try {
    if (values.limit !== undefined) limitBytes = parseSize(values.limit as string);
  } catch (error) {
    return usageError(streams, `--limit: ${errorMessage(error)}`);
  }
  // A limit of 0 would serve pg_database_size_limit_bytes 0, which the poller ignores as nonsense (as its config refuses it).
  if (!(limitBytes > 0)) return usageError(streams, `--limit: must be greater than 0, got "${values.limit as string}"`);
  const service = (values.service as string | undefined) ?? DEFAULT_PROBE_SERVICE;
  const host = (values.host as string | undefined) ?? '0.0.0.0';

  const probe = createPostgresProbe({ databaseUrl, service, limitBytes, auth: auth.auth, logger: { warn: (m) => streams.stderr(`${m}\n`) } });
  const server = createServer(createExporterRouter(probe.metricsHandler));
  let url: string;
  try {
    url = await listenHttp(server, port, host);
  } catch (error) {
    streams.stderr(`chroma-exporter postgres: cannot listen on ${host}:${port}: ${errorMessage(error)}\n`);
    await probe.close();
    return 1;
  }
  streams.stdout(`chroma-exporter postgres: serving ${service} (${redactUrl(databaseUrl)}) on ${url}/metrics${auth.auth ? ` (${auth.auth.kind} auth)` : ''}\n`);
  if (!auth.auth && !LOOPBACK.has(host)) {
    streams.stderr(`chroma-exporter postgres: warning: no auth on ${host}: anyone who reaches this port runs the probe's query and sees the database name and size (use --bearer-token-file, basic auth, or --host 127.0.0.1)\n`);
  }
  await streams.stopSignal;
  await closeHttp(server);
  await probe.close();
  return 0;
}
