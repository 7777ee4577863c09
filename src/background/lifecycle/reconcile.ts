/**
 * Keeps stored connections true to the world: deadlines (expiry, idle limit), and a full check when the worker
 * starts and on the heartbeat, so an event lost while the worker was stopped is made up for.
 */
import { currentSessionId } from '../../shared/auth';
import { t } from '../../shared/i18n';
import { addNotice, readLocal } from '../../shared/storage/local';
import { migrate } from '../../shared/storage/migrate';
import type { ConnectionRecord } from '../../shared/storage/connections';
import { armWarning } from '../notifications';
import { rememberLostConnects, syncWithServer } from './server-sync';
import { flushStops, stopConnection } from './stop-queue';
import { stopReleased } from './tab-membership';
import { clearDeadline, clearHeartbeat, ensureHeartbeat, mutate, scheduleDeadline } from './store';

/** remote.it has ended it on its own: nothing to stop. */
async function expire(record: ConnectionRecord): Promise<void> {
  await mutate((state) => {
    delete state.connections[record.id];
  });
  await clearDeadline(record.id);
  await addNotice('expired', t('connectionExpired', record.serviceName));
}

export async function onConnectionAlarm(connectionId: string): Promise<void> {
  const { connections } = await readLocal('connections');
  const record = connections[connectionId];
  if (!record) return;
  const now = Date.now();
  if (record.expiresAt <= now) return expire(record);
  if (record.idleStopAt !== null && record.idleStopAt <= now) {
    await stopConnection(record.id);
    await addNotice('stopped', t('stoppedAfterIdle', record.serviceName));
    return;
  }
  await scheduleDeadline(record);
}

/**
 * Brings stored connections in line with the browser: expired ones are dropped, deadlines re-armed, web
 * connections with no tab on their proxy's origin released (and stopped once the grace has passed), due
 * stops sent. The heartbeat runs while anything needs watching.
 */
export async function reconcile(): Promise<void> {
  const { connections } = await readLocal('connections');
  const now = Date.now();
  for (const record of Object.values(connections)) {
    if (record.expiresAt <= now) await expire(record);
    // Its "ending soon" warning too: a worker stopped right after recording it never armed one.
    else await Promise.all([scheduleDeadline(record), armWarning(record.id, record)]);
  }
  await stopReleased();
  await syncWithServer();
  await flushStops();
  const after = await readLocal('connections', 'pendingStops', 'lostConnects');
  const needsHeartbeat =
    Object.values(after.connections).some((record) => record.reverseProxy) ||
    Object.keys(after.pendingStops).length > 0 ||
    Object.keys(after.lostConnects).length > 0;
  if (needsHeartbeat) await ensureHeartbeat();
  else await clearHeartbeat();
}

/**
 * A new worker has no connect in flight: bring storage to the schema, keep what a stopped worker was
 * connecting as lost connects (their replies will never come), then reconcile.
 */
export async function onWorkerStart(): Promise<void> {
  await migrate();
  await rememberLostConnects(await currentSessionId());
  await reconcile();
}
