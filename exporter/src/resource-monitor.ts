/**
 * The embeddable exporter (SPEC §3): `startResourceMonitoring(serviceName,
 * options)` gives a service its own registry with container-true resource
 * metrics, a handler to mount, and optionally its own HTTP server.
 */
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { SERVICE_LABEL, closeHttp, listenHttp, systemClock, type Clock, type HttpAuthConfig } from '@chroma-monitor/shared';
import { registerChromaProbe, type ChromaProbeOptions } from './chroma/index.js';
import type { StatFs } from './collectors/disk-reader.js';
import { readKernelFile, type FileReader } from './file-reader.js';
import { createExporterRouter, createMetricsHandler, type MetricsHandler } from './metrics-handler.js';
import { registerResourceMetrics } from './resource-metrics.js';
import { ResourceSampler, type ResourceSnapshot } from './resource-sampler.js';

/** prom-client gauges whose `_total` names promtool flags; left out so our output lints clean. */
const PROMTOOL_FLAGGED_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export interface ResourceMonitorOptions {
  /** Paths whose filesystems are watched. Default: the working directory. */
  diskPaths?: readonly string[];
  /** Listen on this port (0 picks a free one). Without it, nothing listens: mount `metricsHandler`. */
  port?: number;
  /** Listen address when `port` is given. Default 0.0.0.0. */
  host?: string;
  /** Require `Authorization` on /metrics: a bearer token or basic credentials. */
  auth?: { bearerToken: string } | { username: string; password: string };
  /** Include prom-client's default process metrics. Default true. */
  collectDefaultMetrics?: boolean;
  /** Reads kernel files; injected by tests to feed cgroup fixtures. */
  readFile?: FileReader;
  /** statfs; injected by tests. */
  statfs?: StatFs;
  /** Clock for the CPU window; injected by tests. */
  clock?: Clock;
  /** Also probe a ChromaDB server (chroma_up, collections, records, persist directory size). */
  chroma?: ChromaProbeOptions;
}

/** Current values as a plain object (bytes, ratios, cores). */
export interface ResourceStatus {
  service: string;
  memory: { usedBytes: number; limitBytes: number; usageRatio: number; source: string } | null;
  /** `throttling`: CFS counters of cpu.stat (periods, throttled periods, throttled seconds), null outside a cgroup quota's files. */
  cpu: { seconds: number; limitCores: number; usageRatio: number; throttling: { periods: number; throttledPeriods: number; throttledSeconds: number } | null; source: string } | null;
  disks: Array<{ path: string; sizeBytes: number; freeBytes: number; usedBytes: number; usageRatio: number }>;
}

export interface ResourceMonitor {
  readonly service: string;
  readonly registry: Registry;
  readonly metricsHandler: MetricsHandler;
  /** Resolves when the own server listens (to its base URL, e.g. http://127.0.0.1:9464), or to null without one. Rejects if listening failed. */
  readonly ready: Promise<string | null>;
  getCurrentStatus(): Promise<ResourceStatus>;
  /** Closes the server it opened; safe to call twice. */
  stopMonitoring(): Promise<void>;
}

function toAuthConfig(auth: ResourceMonitorOptions['auth']): HttpAuthConfig | null {
  if (!auth) return null;
  return 'bearerToken' in auth ? { kind: 'bearer', token: auth.bearerToken } : { kind: 'basic', ...auth };
}

function toStatus(service: string, snapshot: ResourceSnapshot): ResourceStatus {
  const { memory, cpu } = snapshot;
  return {
    service,
    memory: memory && { ...memory, usageRatio: memory.usedBytes / memory.limitBytes },
    cpu: cpu && { seconds: cpu.cpuSeconds, limitCores: cpu.limitCores, usageRatio: cpu.usageRatio, throttling: cpu.throttling && { ...cpu.throttling }, source: cpu.source },
    disks: snapshot.disks.map((d) => ({ ...d })),
  };
}

/**
 * Starts monitoring `serviceName`. Returns at once: mount `metricsHandler`
 * right away; when `port` is given, await `ready` for the server's URL.
 */
export function startResourceMonitoring(serviceName: string, options: ResourceMonitorOptions = {}): ResourceMonitor {
  const registry = new Registry();
  registry.setDefaultLabels({ [SERVICE_LABEL]: serviceName });
  if (options.collectDefaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    for (const name of PROMTOOL_FLAGGED_DEFAULTS) registry.removeSingleMetric(name);
  }
  const sampler = new ResourceSampler({
    readFile: options.readFile ?? readKernelFile,
    ...(options.statfs ? { statfs: options.statfs } : {}),
    diskPaths: options.diskPaths ?? [process.cwd()],
    clock: options.clock ?? systemClock,
  });
  registerResourceMetrics(registry, sampler);
  if (options.chroma) registerChromaProbe(registry, serviceName, options.chroma, () => (options.clock ?? systemClock).now());
  const metricsHandler = createMetricsHandler(registry, toAuthConfig(options.auth));

  let server: Server | null = null;
  let ready: Promise<string | null> = Promise.resolve(null);
  if (options.port !== undefined) {
    server = createServer(createExporterRouter(metricsHandler));
    ready = listenHttp(server, options.port, options.host ?? '0.0.0.0');
  }
  let stopped = false;
  return {
    service: serviceName,
    registry,
    metricsHandler,
    ready,
    getCurrentStatus: async () => toStatus(serviceName, await sampler.snapshot()),
    stopMonitoring: async () => {
      if (stopped) return;
      stopped = true;
      registry.clear();
      if (server) {
        await ready.catch(() => null);
        await closeHttp(server);
      }
    },
  };
}
