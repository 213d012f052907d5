export {
  deriveScrape,
  type CpuReading,
  type ResourceValues,
  type DatabaseValues,
  type DerivedScrape,
} from './derive-values.js';
export { SampleIndex, finiteOrNull } from './sample-index.js';
