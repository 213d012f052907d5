export { registerChromaProbe, boundedCollections, OTHER_COLLECTIONS, type ChromaProbe, type ChromaProbeOptions } from './chroma-probe.js';
export { ChromaReader, ChromaReadError, type ChromaReading, type ChromaReaderOptions } from './chroma-reader.js';
export { DirectorySize } from './directory-size.js';
