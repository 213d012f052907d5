/** Without a webhook, alerts go to stdout in the same words as Slack's text fallback. */
import type { OutgoingMessage, SendResult, Sender } from './send-result.js';

/** Anything text can be written to: a stream such as process.stdout, or a function. */
export type TextSink = { write(text: string): unknown } | ((text: string) => void);

export class StdoutSender implements Sender {
  readonly destination = 'stdout' as const;
  readonly #write: (text: string) => void;

  /** `out` defaults to process.stdout. */
  constructor(out: TextSink = process.stdout) {
    this.#write = typeof out === 'function' ? out : (text) => void out.write(text);
  }

  /** Always ok: a local write has nothing worth retrying. */
  async send(message: Pick<OutgoingMessage, 'text'>): Promise<SendResult> {
    this.#write(`${message.text}\n\n`);
    return { ok: true };
  }
}
