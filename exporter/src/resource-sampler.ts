/**
 * Reads memory, CPU and disks once per scrape (lazily, when /metrics is
 * asked), shared by every metric of that scrape, and keeps the previous CPU
 * reading to compute usage over the window since the last scrape.
 *
 * Sharing window: requests that arrive less than 200 ms after a reading
 * finished get that same reading (SNAPSHOT_REUSE_MS). One scrape asks for
 * every metric at once, so it reads the system once; two scrapers polling
 * within 200 ms of each other (Prometheus and the poller) share a reading
 * too, and the second sees values up to 200 ms old. A scrape that arrives
 * later pays for a fresh reading: that cost, not the shared one, is what a
 * real scraper sees.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '@chroma-monitor/shared';
import { detectCgroup, type CgroupLayout } from './collectors/cgroup.js';
import { readCpu, type CpuReading } from './collectors/cpu-reader.js';
import { readDisk, type DiskReading, type StatFs } from './collectors/disk-reader.js';
import { readMemory, type MemoryReading } from './collectors/memory-reader.js';
import type { FileReader } from './file-reader.js';

export interface ResourceSnapshot {
  memory: MemoryReading | null;
  /** With the epoch ms the counters were read: rates are timed by the reading, not by the scrape. */
  cpu: (CpuReading & { usageRatio: number; readAt: number }) | null;
  disks: DiskReading[];
  /** Collectors that failed in this snapshot (their series are left out). */
  failed: Array<'memory' | 'cpu' | 'disk'>;
}

export interface SamplerOptions {
  readFile: FileReader;
  statfs?: StatFs;
  diskPaths: readonly string[];
  clock: Clock;
  /** First-scrape CPU window in ms: a ratio needs two readings. */
  firstWindowMs?: number;
}

/** Requests this soon after a reading share it (one scrape reads every metric; see the file comment). */
export const SNAPSHOT_REUSE_MS = 200;

export class ResourceSampler {
  readonly #options: SamplerOptions;
  /** The layout and the /proc/self/cgroup text it was detected from. */
  #layout: { procCgroup: string | null; layout: CgroupLayout } | null = null;
  #previousCpu: { cpuSeconds: number; at: number } | null = null;
  #inFlight: Promise<ResourceSnapshot> | null = null;
  #last: { at: number; snapshot: ResourceSnapshot } | null = null;

  constructor(options: SamplerOptions) {
    this.#options = options;
  }

  /** The snapshot for the scrape in progress, reading the system at most once per scrape. */
  snapshot(): Promise<ResourceSnapshot> {
    const now = this.#options.clock.now();
    if (this.#last && now - this.#last.at < SNAPSHOT_REUSE_MS) return Promise.resolve(this.#last.snapshot);
    this.#inFlight ??= this.#read().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  async #read(): Promise<ResourceSnapshot> {
    const read = this.#options.readFile;
    const layout = await this.#currentLayout().catch(() => null);
    const failed: ResourceSnapshot['failed'] = [];
    // Without a layout, host numbers could stand in for a limited container's: the readings fail instead.
    const memory = layout ? await readMemory(read, layout).catch(() => null) : null;
    if (!memory) failed.push('memory');
    const cpu = layout ? await this.#readCpuWithRatio(layout) : null;
    if (!cpu) failed.push('cpu');
    const disks: DiskReading[] = [];
    for (const path of this.#options.diskPaths) {
      try {
        disks.push(await readDisk(path, this.#options.statfs));
      } catch {
        if (!failed.includes('disk')) failed.push('disk');
      }
    }
    const snapshot = { memory, cpu, disks, failed };
    this.#last = { at: this.#options.clock.now(), snapshot };
    return snapshot;
  }

  /**
   * The cgroup layout, detected again only when /proc/self/cgroup changes (a
   * process moved into another cgroup after start, as docker-in-docker's
   * /init does); a detection that failed is tried again next scrape.
   */
  async #currentLayout(): Promise<CgroupLayout> {
    const read = this.#options.readFile;
    const procCgroup = await read('/proc/self/cgroup');
    if (this.#layout && this.#layout.procCgroup === procCgroup) return this.#layout.layout;
    const layout = await detectCgroup(read);
    this.#layout = { procCgroup, layout };
    return layout;
  }

  async #readCpuWithRatio(layout: CgroupLayout): Promise<ResourceSnapshot['cpu']> {
    const read = this.#options.readFile;
    let previous = this.#previousCpu;
    if (!previous) {
      const first = await readCpu(read, layout).catch(() => null);
      if (!first) return null;
      previous = { cpuSeconds: first.cpuSeconds, at: this.#options.clock.now() };
      await delay(this.#options.firstWindowMs ?? 100);
    }
    const reading = await readCpu(read, layout).catch(() => null);
    if (!reading) return null;
    const at = this.#options.clock.now();
    const elapsedSeconds = (at - previous.at) / 1000;
    const used = reading.cpuSeconds - previous.cpuSeconds;
    this.#previousCpu = { cpuSeconds: reading.cpuSeconds, at };
    const ratio = elapsedSeconds > 0 && used >= 0 ? used / elapsedSeconds / reading.limitCores : 0;
    return { ...reading, usageRatio: Math.min(1, Math.max(0, ratio)), readAt: at };
  }
}
