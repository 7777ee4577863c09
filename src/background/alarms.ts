/**
 * Routes alarms: per-connection deadlines, the stop retry queue, the heartbeat, the grace after a tab left
 * its proxy, and the warnings before a port connection ends.
 */
import type { Alarms } from '../shared/browser';
import { onConnectionAlarm, reconcile } from './lifecycle/reconcile';
import { flushStops } from './lifecycle/stop-queue';
import { WARNING_ALARM_PREFIX, onWarningAlarm } from './notifications';
import { RELEASE_CHECK_ALARM, stopReleased } from './lifecycle/tab-membership';
import { CONNECTION_ALARM_PREFIX, HEARTBEAT_ALARM, RETRY_STOPS_ALARM } from './lifecycle/store';

export async function onAlarm(alarm: Alarms.Alarm): Promise<void> {
  if (alarm.name === RETRY_STOPS_ALARM) return flushStops();
  if (alarm.name === HEARTBEAT_ALARM) return reconcile();
  if (alarm.name === RELEASE_CHECK_ALARM) return stopReleased();
  if (alarm.name.startsWith(CONNECTION_ALARM_PREFIX))
    return onConnectionAlarm(alarm.name.slice(CONNECTION_ALARM_PREFIX.length));
  if (alarm.name.startsWith(WARNING_ALARM_PREFIX))
    return onWarningAlarm(alarm.name.slice(WARNING_ALARM_PREFIX.length));
}
