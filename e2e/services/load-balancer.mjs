#!/usr/bin/env node
/**
 * chroma-load-balancer for the real-stack tests: a tiny Node service that
 * proxies ChromaDB's API to the primary and embeds the exporter (its
 * /metrics on the same port), as a user's own load balancer would.
 * Usage: node load-balancer.mjs --port P --primary URL
 * `POST /burn?seconds=N` spins a worker thread for N seconds (the CPU-burn story).
 */
import { createServer, request } from 'node:http';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { startResourceMonitoring } from '@chroma-monitor/exporter';

const { values } = parseArgs({ options: { port: { type: 'string' }, primary: { type: 'string' }, disk: { type: 'string' } } });
const primary = new URL(values.primary);
const monitor = startResourceMonitoring('chroma-load-balancer', { diskPaths: values.disk ? [values.disk] : [process.cwd()], collectDefaultMetrics: false });

/**
 * Spins one CPU for `seconds` in a worker thread: the demand (a full core) is twice the 0.5-CPU
 * quota, so the cgroup is throttled whatever else the host runs, and the service's own event
 * loop stays free to proxy and to answer /metrics, as a service doing CPU-heavy work would.
 */
function burn(seconds) {
  const spin = `const until = Date.now() + ${Number(seconds) * 1000}; while (Date.now() < until) Math.sqrt(Math.random());`;
  new Worker(spin, { eval: true }).unref();
}

const server = createServer((req, res) => {
  if (req.url === '/metrics') return void monitor.metricsHandler(req, res);
  if (req.method === 'POST' && req.url?.startsWith('/burn')) {
    burn(Number(new URL(req.url, 'http://x').searchParams.get('seconds') ?? '30'));
    res.writeHead(202).end('burning\n');
    return;
  }
  const upstream = request({ host: primary.hostname, port: primary.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (error) => res.writeHead(502).end(`primary unreachable: ${error.message}\n`));
  req.pipe(upstream);
});
server.listen(Number(values.port), '127.0.0.1', () => process.stdout.write(`load balancer listening on ${values.port}\n`));
process.once('SIGTERM', () => server.close(() => monitor.stopMonitoring().then(() => process.exit(0))));
