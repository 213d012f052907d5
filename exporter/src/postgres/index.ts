export {
  createPostgresProbe,
  DEFAULT_PROBE_SERVICE,
  DEFAULT_PROBE_LIMIT_BYTES,
  type PostgresProbe,
  type PostgresProbeOptions,
  type ProbeReading,
} from './postgres-probe.js';
export { runPostgresCommand, POSTGRES_USAGE, type CommandStreams } from './run-postgres-command.js';
export type { PostgresReading } from './postgres-reader.js';
export { loadPg } from './load-pg.js';
