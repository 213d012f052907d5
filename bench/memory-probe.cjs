// Preloaded (`node --require bench/memory-probe.cjs …`) into the processes whose RSS the benchmarks break down:
// on SIGUSR2 it writes what the process holds, from the inside, to $BENCH_MEMORY_PROBE_DIR/<pid>.json.
// Loaded into the floor and the measured process alike, so its own few hundred KB cancel out. CommonJS so
// that the floor (an `-e` script) does not load the ES module loader just for the probe.
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports */
const { writeFileSync } = require('node:fs');
const { getHeapSpaceStatistics } = require('node:v8');

const dir = process.env.BENCH_MEMORY_PROBE_DIR;
if (dir) {
  process.on('SIGUSR2', () => {
    const usage = process.memoryUsage();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size]));
    writeFileSync(`${dir}/${process.pid}.json`, JSON.stringify({ usage, spaces }));
  });
}
