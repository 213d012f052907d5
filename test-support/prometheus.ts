/**
 * A real Prometheus (Debian package) for tests: scrapes the given targets
 * every second from a temporary data directory, answers PromQL queries,
 * and is killed after.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, spawnNode, type SpawnedProcess } from './net.js';
import { spawn } from 'node:child_process';

export interface PrometheusTarget {
  job: string;
  /** Full URL of the metrics endpoint, e.g. http://127.0.0.1:9464/metrics */
  url: string;
}

export interface QueryResult {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RunningPrometheus {
  url: string;
  query(promql: string): Promise<QueryResult[]>;
  /** Polls `promql` until `accept` holds for its result (default: non-empty). */
  waitFor(promql: string, accept?: (results: QueryResult[]) => boolean, timeoutMs?: number): Promise<QueryResult[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(binary: string, targets: readonly PrometheusTarget[]): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'chroma-prometheus-'));
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: targets.map((target) => {
      const url = new URL(target.url);
      return { job_name: target.job, metrics_path: url.pathname, static_configs: [{ targets: [url.host] }] };
    }),
  };
  await writeFile(join(dir, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  const child = spawn(binary, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const query = async (promql: string): Promise<QueryResult[]> => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: QueryResult[] } };
    if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
    return body.data!.result;
  };

  const waitFor = async (promql: string, accept = (r: QueryResult[]) => r.length > 0, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    let last: QueryResult[] = [];
    for (;;) {
      try {
        last = await query(promql);
        if (accept(last)) return last;
      } catch {
        // Prometheus still starting: try again until the deadline.
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${promql}; last result ${JSON.stringify(last)}; log:\n${log.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  return {
    url,
    query,
    waitFor,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type { SpawnedProcess };
export { spawnNode };
