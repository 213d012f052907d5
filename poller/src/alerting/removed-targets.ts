/**
 * Services that have alert state but are no longer in the config (SPEC §8
 * "No data"): each gets one "no longer monitored" message on start, and its
 * state is deleted, so a service removed while critical is closed in the
 * channel instead of staying critical forever.
 */
import type { AlertState } from './alert-state.js';
import { serviceOfKey } from './alert-state.js';
import type { AlertNotification } from './notification.js';

/**
 * The notices for services in `states` that are not in `configured`, and the
 * keys to delete. Pure: `now` is the start time.
 */
export function removedTargetNotifications(
  states: ReadonlyMap<string, AlertState>,
  configured: ReadonlySet<string>,
  now: number,
): { notifications: AlertNotification[]; deleteKeys: string[] } {
  const byService = new Map<string, string[]>();
  for (const key of states.keys()) {
    const service = serviceOfKey(key);
    if (configured.has(service)) continue;
    byService.set(service, [...(byService.get(service) ?? []), key]);
  }
  const notifications: AlertNotification[] = [];
  for (const [service, keys] of byService) {
    const active = keys.flatMap((key) => {
      const state = states.get(key)!;
      return state.notifiedLevel !== 'ok' ? [`${key.slice(service.length + 1)} ${state.notifiedLevel}`] : [];
    });
    notifications.push({
      alertKey: `${service}:service`,
      service,
      resource: 'service',
      level: 'ok',
      reason: 'resolved',
      at: now,
      title: `${service} - No Longer Monitored`,
      summary: `${service} was removed from the config: its alerts are closed${active.length > 0 ? ` (was: ${active.join(', ')})` : ''}`,
      recommendations: [],
      snapshot: { memoryPercent: null, cpuPercent: null, diskUsagePercent: null, diskFreeGb: null },
    });
  }
  return { notifications, deleteKeys: [...byService.values()].flat() };
}
