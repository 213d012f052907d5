/**
 * A real ChromaDB server for tests: `chroma run` from the e2e/ package
 * (chromadb@3.0.6 with the glibc-2.36 binding, installed by `.ci/run` or
 * `npm run test:e2e`, kept out of the root install). Without it the tests
 * skip with a message naming the install command; under CI=true they fail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from './net.js';

const E2E = fileURLToPath(new URL('../e2e/', import.meta.url));
const CHROMA_BIN = `${E2E}node_modules/.bin/chroma`;
const CLIENT = `${E2E}node_modules/chromadb/dist/chromadb.mjs`;

/** The `chroma` command when e2e/ is installed; else null (or an Error under CI=true). */
export function requireChroma(): string | null {
  if (existsSync(CHROMA_BIN) && existsSync(CLIENT)) return CHROMA_BIN;
  const message = 'chroma not found: install the real-stack dependencies with "npm ci --prefix e2e" (or run npm run test:e2e)';
  if (process.env.CI === 'true') throw new Error(`${message}; it is required under CI=true`);
  console.warn(`skipping: ${message}`);
  return null;
}

export interface ChromaServer {
  url: string;
  port: number;
  path: string;
  child: ChildProcess;
  /** SIGKILL, as an OOM kill would. */
  kill(): Promise<void>;
}

/** Starts `chroma run --path DIR --port P --host 127.0.0.1` and waits for its heartbeat (on `port` when given, to restart on the same one). */
export async function startChroma(path: string, options: { port?: number; wrap?: (command: string, args: string[]) => [string, string[]] } = {}): Promise<ChromaServer> {
  const port = options.port ?? (await freePort());
  const args = ['run', '--path', path, '--port', String(port), '--host', '127.0.0.1'];
  const [command, finalArgs] = options.wrap ? options.wrap(CHROMA_BIN, args) : [CHROMA_BIN, args];
  const child = spawn(command, finalArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ANONYMIZED_TELEMETRY: 'False' } });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`chroma run exited ${child.exitCode}: ${output.slice(-500)}`);
    try {
      if ((await fetch(`${url}/api/v2/heartbeat`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`chroma run did not answer within 30 s: ${output.slice(-500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    port,
    path,
    child,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** A collection handle from the real JS client: add records with explicit embeddings (no model needed), count them. */
export interface ChromaCollection {
  add(records: { ids: string[]; embeddings: number[][]; documents?: string[] }): Promise<void>;
  count(): Promise<number>;
}

/** The chromadb client's collection `name` on `url`, created if absent. */
export async function chromaCollection(url: string, name: string): Promise<ChromaCollection> {
  const { ChromaClient } = (await import(CLIENT)) as { ChromaClient: new (options: { host: string; port: number; ssl: boolean }) => { getOrCreateCollection(o: unknown): Promise<ChromaCollection> } };
  const { hostname, port } = new URL(url);
  const client = new ChromaClient({ host: hostname, port: Number(port), ssl: false });
  // Embeddings are always given explicitly; this function only stops the client from loading its default model package.
  const embeddingFunction = { name: 'explicit-only', generate: async (texts: string[]) => texts.map(() => { throw new Error('embeddings must be given explicitly'); }) };
  return client.getOrCreateCollection({ name, embeddingFunction });
}
