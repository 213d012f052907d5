// The peer of the exporter benchmark: a bare prom-client server with default metrics, nothing else.
import { createServer } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';

const registry = new Registry();
collectDefaultMetrics({ register: registry });
const server = createServer(async (req, res) => {
  const body = await registry.metrics();
  res.writeHead(200, { 'Content-Type': registry.contentType }).end(body);
});
server.listen(Number(process.argv[2]), '127.0.0.1', () => console.log('listening'));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
