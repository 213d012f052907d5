export { parseExposition, scanExposition } from './parse-exposition.js';
export { ParsedBody } from './parsed-body.js';
export { parseSampleValue } from './number-syntax.js';
export { ExpositionError, snippetOf, type Sample, type MetricType, type ParseOptions, type ParseOutcome, type ScanOutcome } from './types.js';
