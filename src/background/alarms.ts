/** Routes alarms to the lifecycle: per-connection deadlines and the stop retry queue. */
import type { Alarms } from '../shared/browser';
import { CONNECTION_ALARM_PREFIX, RETRY_STOPS_ALARM, flushStops, onConnectionAlarm } from './connections';

export async function onAlarm(alarm: Alarms.Alarm): Promise<void> {
  if (alarm.name === RETRY_STOPS_ALARM) return flushStops();
  if (alarm.name.startsWith(CONNECTION_ALARM_PREFIX))
    return onConnectionAlarm(alarm.name.slice(CONNECTION_ALARM_PREFIX.length));
}
