/** The last slot each scheduled report went out for (the capacity digest), so a restart neither repeats nor skips one. */
import type { SqlClient } from './sql-client.js';

export class ScheduleRepository {
  constructor(private readonly client: () => Promise<SqlClient>) {}

  /** Epoch ms of the last slot recorded for `name`, or null before the first. */
  async lastSlot(name: string): Promise<number | null> {
    const db = await this.client();
    const { rows } = await db.query<{ last_slot: Date | string }>('SELECT last_slot FROM report_schedule WHERE name = $1', [name]);
    return rows[0] ? new Date(rows[0].last_slot).getTime() : null;
  }

  async record(name: string, slot: number): Promise<void> {
    const db = await this.client();
    await db.query(
      'INSERT INTO report_schedule (name, last_slot) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET last_slot = EXCLUDED.last_slot',
      [name, new Date(slot).toISOString()],
    );
  }
}
