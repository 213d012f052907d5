/**
 * The real exporter module serving on 127.0.0.1, with its kernel files fed
 * from values the test sets: memory use is whatever percent the test says,
 * so thresholds can be crossed on purpose. Everything else (collectors,
 * registry, HTTP, exposition) is the production code.
 */
import { startResourceMonitoring, type ResourceMonitor } from '@chroma-monitor/exporter';

const TOTAL_KIB = 512 * 1024; // a 512 MiB instance

export class ControllableExporter {
  memoryPercent = 40;
  #monitor: ResourceMonitor | null = null;
  url = '';

  constructor(readonly service: string) {}

  async start(port = 0): Promise<this> {
    this.#monitor = startResourceMonitoring(this.service, {
      port,
      host: '127.0.0.1',
      collectDefaultMetrics: false,
      diskPaths: ['/'],
      readFile: async (path) => {
        if (path === '/proc/meminfo') {
          const available = Math.round(TOTAL_KIB * (1 - this.memoryPercent / 100));
          return `MemTotal:       ${TOTAL_KIB} kB\nMemFree:        ${available} kB\nMemAvailable:   ${available} kB\n`;
        }
        if (path === '/proc/stat') return 'cpu  100 0 100 10000 0 0 0 0 0 0\n';
        return null; // no cgroup: host numbers, which the test controls above
      },
    });
    this.url = `${await this.#monitor.ready}/metrics`;
    return this;
  }

  async stop(): Promise<void> {
    await this.#monitor?.stopMonitoring();
  }
}
