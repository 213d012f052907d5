/** Alert state per key, persisted as JSON so cooldowns survive a restart. */
import type { Queryable, SqlClient } from './sql-client.js';
import type { StoredAlertState } from './types.js';

export class AlertStateRepository {
  constructor(private readonly client: () => Promise<SqlClient>) {}

  async loadAll(): Promise<StoredAlertState[]> {
    const db = await this.client();
    const { rows } = await db.query<{ alert_key: string; state: unknown; updated_at: Date | string }>('SELECT alert_key, state, updated_at FROM alert_state');
    return rows.map((row) => ({
      key: row.alert_key,
      state: typeof row.state === 'string' ? JSON.parse(row.state) : row.state,
      updatedAt: new Date(row.updated_at).getTime(),
    }));
  }

  /** Upserts all states in one transaction. */
  async saveAll(states: readonly StoredAlertState[]): Promise<void> {
    if (states.length === 0) return;
    const db = await this.client();
    await db.transaction(async (tx: Queryable) => {
      await tx.query(
        `INSERT INTO alert_state (alert_key, state, updated_at)
         SELECT key, state::jsonb, updated FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS s(key, state, updated)
         ON CONFLICT (alert_key) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
        [states.map((s) => s.key), states.map((s) => JSON.stringify(s.state)), states.map((s) => new Date(s.updatedAt).toISOString())],
      );
    });
  }

  /** Deletes the states of `keys` (a service removed from the config). */
  async deleteAll(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const db = await this.client();
    await db.query('DELETE FROM alert_state WHERE alert_key = ANY($1::text[])', [[...keys]]);
  }
}
