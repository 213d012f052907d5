import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { startResourceMonitoring, type ResourceMonitor } from '../src/index.js';

const opened: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function serve(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push({ close: () => new Promise((resolve) => server.close(() => resolve())) });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function track(monitor: ResourceMonitor): ResourceMonitor {
  opened.push({ close: () => monitor.stopMonitoring() });
  return monitor;
}

describe('startResourceMonitoring', () => {
  it('mounts on an express app', async () => {
    const monitor = track(startResourceMonitoring('chroma-load-balancer', { diskPaths: ['/'] }));
    const app = express();
    app.get('/metrics', monitor.metricsHandler);
    const base = await serve(createServer(app));
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const body = await response.text();
    expect(body).toMatch(/^resource_memory_usage_ratio\{service="chroma-load-balancer"\} 0\.\d+/m);
    expect(body).toMatch(/^resource_disk_usage_ratio\{path="\/",service="chroma-load-balancer"\} /m);
    expect(body).not.toContain('nodejs_active_handles_total');
  });

  it('mounts on a node:http server', async () => {
    const monitor = track(startResourceMonitoring('chroma-sync', { collectDefaultMetrics: false }));
    const base = await serve(createServer((req, res) => void monitor.metricsHandler(req, res)));
    const body = await (await fetch(`${base}/metrics`)).text();
    expect(body).toContain('resource_cpu_limit_cores{service="chroma-sync"}');
    expect(body).not.toContain('process_cpu_seconds_total');
  });

  it('getCurrentStatus returns current values as a plain object', async () => {
    const monitor = track(startResourceMonitoring('chroma-sync', { diskPaths: ['/'], collectDefaultMetrics: false }));
    const status = await monitor.getCurrentStatus();
    expect(status.service).toBe('chroma-sync');
    expect(status.memory!.usageRatio).toBeGreaterThan(0);
    expect(status.memory!.usageRatio).toBeLessThanOrEqual(1);
    expect(status.cpu!.limitCores).toBeGreaterThan(0);
    expect(status.disks).toEqual([expect.objectContaining({ path: '/', sizeBytes: expect.any(Number) })]);
    expect(JSON.parse(JSON.stringify(status))).toEqual(status);
  });

  it.each([
    { name: 'bearer', auth: { bearerToken: 's3cret-token' }, good: 'Bearer s3cret-token', bad: 'Bearer s3cret-tokeX' },
    { name: 'basic', auth: { username: 'prom', password: 'pa55' }, good: `Basic ${Buffer.from('prom:pa55').toString('base64')}`, bad: `Basic ${Buffer.from('other:pa55').toString('base64')}` },
  ])('$name auth: none or wrong → 401, right → 200', async ({ auth, good, bad }) => {
    const monitor = track(startResourceMonitoring('x', { port: 0, host: '127.0.0.1', auth, collectDefaultMetrics: false }));
    const base = await monitor.ready;
    const none = await fetch(`${base}/metrics`);
    const wrong = await fetch(`${base}/metrics`, { headers: { authorization: bad } });
    const right = await fetch(`${base}/metrics`, { headers: { authorization: good } });
    expect([none.status, wrong.status, right.status]).toEqual([401, 401, 200]);
    expect(none.headers.get('www-authenticate')).toBeTruthy();
    expect(await wrong.text()).toBe(await none.text());
  });

  it('stopMonitoring closes the port it opened, and is idempotent', async () => {
    const monitor = startResourceMonitoring('x', { port: 0, host: '127.0.0.1', collectDefaultMetrics: false });
    const base = await monitor.ready;
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    await monitor.stopMonitoring();
    await monitor.stopMonitoring();
    await expect(fetch(`${base}/metrics`)).rejects.toThrow();
  });
});
