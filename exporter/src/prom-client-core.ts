/**
 * prom-client's Registry, Gauge and Counter without its package index. The index also
 * loads the default-metrics collectors (and through them @opentelemetry/api),
 * the Pushgateway (http, https, zlib) and the cluster aggregator: ~11 MB of
 * RSS in a process that uses none of them (measured: `require('prom-client')`
 * 51 MB, registry and gauge alone 40 MB, an empty node 40 MB; issue 15). The
 * default metrics are loaded only when asked for. These are the very files
 * the index exports (prom-client 15 has no `exports` map), so a Registry made
 * here is the one a service's own `new Counter({ registers: [...] })` expects.
 */
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

const require = createRequire(import.meta.url);

/** prom-client's `Registry` class (lib/registry.js). */
export const Registry = require('prom-client/lib/registry.js') as typeof PromClient.Registry;
export type Registry = PromClient.Registry;

/** prom-client's `Gauge` class (lib/gauge.js). */
export const Gauge = require('prom-client/lib/gauge.js') as typeof PromClient.Gauge;
export type Gauge<T extends string = string> = PromClient.Gauge<T>;

/** prom-client's `Counter` class (lib/counter.js); the poller's own metrics use it. */
export const Counter = require('prom-client/lib/counter.js') as typeof PromClient.Counter;
export type Counter<T extends string = string> = PromClient.Counter<T>;

/** prom-client's `collectDefaultMetrics`, loaded on the first call only (lib/defaultMetrics.js). */
export function collectDefaultMetrics(config: PromClient.DefaultMetricsCollectorConfiguration<PromClient.RegistryContentType>): void {
  (require('prom-client/lib/defaultMetrics.js') as typeof PromClient.collectDefaultMetrics)(config);
}
