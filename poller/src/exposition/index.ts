export { parseExposition } from './parse-exposition.js';
export { parseSampleValue } from './number-syntax.js';
export { ExpositionError, snippetOf, type Sample, type MetricType, type ParseOptions, type ParseOutcome } from './types.js';
