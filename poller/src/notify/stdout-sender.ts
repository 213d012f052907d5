/** Without a webhook, alerts go to stdout in the same words as Slack's text fallback. */
import type { SendResult, Sender } from './send-result.js';

export class StdoutSender implements Sender {
  readonly destination = 'stdout' as const;

  constructor(private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {}

  async send(message: { text: string }): Promise<SendResult> {
    this.write(`${message.text}\n\n`);
    return { ok: true };
  }
}
