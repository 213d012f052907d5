/**
 * A local stand-in for Slack's incoming webhook on 127.0.0.1: records every
 * request and answers from a scripted queue (default 200 "ok").
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  /** Arrival time (wall clock, epoch ms). */
  at: number;
  method: string;
  path: string;
  /** The body exactly as received. */
  raw: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body parsed as JSON (`{ text: '', blocks: [] }` when it was not JSON: `raw` tells). */
  body: { text: string; blocks: unknown[] };
}

export interface ScriptedResponse {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Close the connection without answering. */
  hangUp?: boolean;
  /** Answer only after this many milliseconds (a slow or hanging Slack). */
  delayMs?: number;
}

export const WEBHOOK_PATH = '/services/T0000/B0000/XXXXsecretXXXX';

export class SlackReceiver {
  readonly requests: ReceivedRequest[] = [];
  readonly #script: ScriptedResponse[] = [];
  #server: Server | null = null;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}${WEBHOOK_PATH}`;
  }

  /** Answers the next requests with these responses, in order. */
  script(...responses: ScriptedResponse[]): void {
    this.#script.push(...responses);
  }

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk));
      req.on('end', () => {
        const response = this.#script.shift() ?? { status: 200, body: 'ok' };
        this.requests.push({ at: Date.now(), method: req.method ?? '', path: req.url ?? '', raw, headers: req.headers, body: parseBody(raw) });
        if (response.hangUp) {
          req.socket.destroy();
          return;
        }
        const answer = () => {
          if (!res.destroyed) res.writeHead(response.status, { 'Content-Type': 'text/plain', ...response.headers }).end(response.body ?? '');
        };
        if (response.delayMs) setTimeout(answer, response.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.#server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Same as stop(). */
  close(): Promise<void> {
    return this.stop();
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Waits until `count` requests arrived (polling: the sender runs in the same process). */
  async waitForRequests(count: number, timeoutMs = 15_000): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${this.requests.length}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.requests;
  }
}

function parseBody(raw: string): { text: string; blocks: unknown[] } {
  try {
    return JSON.parse(raw) as { text: string; blocks: unknown[] };
  } catch {
    return { text: '', blocks: [] }; // the test sees `raw`; a bad body must not crash the receiver
  }
}
