export {
  deriveScrape,
  CPU_PERIODS_TOTAL,
  CPU_THROTTLED_PERIODS_TOTAL,
  CPU_THROTTLED_SECONDS_TOTAL,
  SAMPLE_TIMESTAMP_SECONDS,
  type ResourceValues,
  type DatabaseValues,
  type DerivedScrape,
  type CpuThrottling,
  type ChromaValues,
} from './derive-values.js';
export { addCpuReading, cpuOverWindow, WINDOW_TOLERANCE, type CpuReading, type CpuWindowValues } from './cpu-window.js';
export { SampleIndex, finiteOrNull, type SampleSource } from './sample-index.js';
