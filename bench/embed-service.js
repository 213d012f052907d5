// A small express service for the embedding benchmark: `node embed-service.js PORT with|without`. With the
// exporter it mounts startResourceMonitoring's handler from the package entry (@chroma-monitor/exporter) on
// /metrics, with the module's defaults; without, /metrics answers a fixed text. Nothing else differs.
import express from 'express';

const [port, mode] = process.argv.slice(2);
const app = express();
app.get('/', (_req, res) => res.send('ok'));
if (mode === 'with') {
  const { startResourceMonitoring } = await import('@chroma-monitor/exporter');
  const monitor = startResourceMonitoring('bench-service', { diskPaths: ['/'] });
  app.get('/metrics', monitor.metricsHandler);
} else {
  app.get('/metrics', (_req, res) => res.type('text/plain').send('ok\n'));
}
const server = app.listen(Number(port), '127.0.0.1', () => console.log('listening'));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
