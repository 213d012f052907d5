/**
 * vitest setup file: tees this worker's stdout and stderr into the capture
 * directory (once per worker), so the end-of-suite secret scan sees them.
 */
import { format } from 'node:util';
import { captureOutput } from './captured-output.js';

const PATCHED = Symbol.for('chroma-monitor.capture-patched');
const registry = globalThis as unknown as Record<symbol, boolean>;

if (!registry[PATCHED]) {
  registry[PATCHED] = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captureOutput(chunk);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  // vitest routes console output of tests around process.stdout: capture it at the console too.
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      captureOutput(`${format(...args)}\n`);
      original(...args);
    };
  }
}
