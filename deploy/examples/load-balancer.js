// PLACEHOLDER for your own chroma-load-balancer (render.yaml deploys it until you replace it).
// What to keep in your code: the startResourceMonitoring line, so chroma-monitor can scrape this
// service's own memory, CPU and disk on the private network at :9464/metrics.
//
// This placeholder forwards every request to chroma-primary (CHROMA_PRIMARY_HOSTPORT, from
// render.yaml) and answers /healthz itself. Run locally: PORT=8080 node deploy/examples/load-balancer.js
import { createServer, request } from 'node:http';
import { startResourceMonitoring } from '@chroma-monitor/exporter';

const monitor = startResourceMonitoring('chroma-load-balancer', {
  port: Number(process.env.EXPORTER_PORT ?? 9464),
  host: process.env.EXPORTER_HOST ?? '0.0.0.0',
});

const upstream = process.env.CHROMA_PRIMARY_HOSTPORT ?? null;
const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  if (!upstream) {
    res.writeHead(503, { 'content-type': 'text/plain' }).end('placeholder load balancer: CHROMA_PRIMARY_HOSTPORT is not set\n');
    return;
  }
  const [hostname, port] = upstream.split(':');
  const forward = request({ hostname, port: Number(port), path: req.url, method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  forward.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream unreachable\n'));
  req.pipe(forward);
});

const port = Number(process.env.PORT ?? 10000);
server.listen(port, process.env.HOST ?? '0.0.0.0', async () => {
  process.stdout.write(`chroma-load-balancer (placeholder) on :${port}, metrics at ${await monitor.ready}/metrics\n`);
});

process.once('SIGTERM', async () => {
  server.close();
  await monitor.stopMonitoring();
  process.exit(0);
});
