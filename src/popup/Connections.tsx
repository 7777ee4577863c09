/** Active connections with a live countdown, Stop per connection, Stop all, and stops still being retried. */
import { useEffect, useState } from 'preact/hooks';
import { formatCountdown, modeLabel } from '../shared/format';
import { t } from '../shared/i18n';
import type { ConnectionRecord, PendingStop } from '../shared/storage/connections';

interface Props {
  connections: ConnectionRecord[];
  pendingStops: PendingStop[];
  onStop: (connection: ConnectionRecord) => void;
  onStopAll: () => void;
  onShow: (connection: ConnectionRecord) => void;
}

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function address(connection: ConnectionRecord): string {
  const url = new URL(connection.proxy);
  return connection.reverseProxy ? url.href : url.host;
}

export function Connections({ connections, pendingStops, onStop, onStopAll, onShow }: Props) {
  const now = useNow();
  if (!connections.length && !pendingStops.length) return null;
  return (
    <section class="connections" aria-labelledby="connections-heading">
      <div class="section-head">
        <h2 id="connections-heading">{t('activeConnections', connections.length)}</h2>
        {connections.length > 1 && (
          <button type="button" class="link danger" onClick={onStopAll}>
            {t('stopAll')}
          </button>
        )}
      </div>
      <ul>
        {connections.map((connection) => (
          <li key={connection.id} class="connection">
            <div class="connection-main">
              <span class="name">{connection.serviceName}</span>
              <span class="meta">
                <span class="address">{address(connection)}</span> ·{' '}
                {connection.reverseProxy ? t('publicLink') : modeLabel(connection.mode)} ·{' '}
                <span
                  class="countdown"
                  aria-label={t('expiresIn', formatCountdown(connection.expiresAt - now))}
                >
                  {t('timeLeft', formatCountdown(connection.expiresAt - now))}
                </span>
              </span>
            </div>
            <button
              type="button"
              class="small"
              onClick={() => onShow(connection)}
              aria-label={t(connection.reverseProxy ? 'showNamed' : 'copyNamed', connection.serviceName)}
            >
              {connection.reverseProxy ? t('show') : t('copy')}
            </button>
            <button
              type="button"
              class="small danger"
              onClick={() => onStop(connection)}
              aria-label={t('stopNamed', connection.serviceName)}
            >
              {t('stop')}
            </button>
          </li>
        ))}
        {pendingStops.map((stop) => (
          <li key={stop.connectionId} class="connection stopping">
            <span class="name">{stop.serviceName}</span>
            <span class="meta">
              {stop.attempts === 0
                ? t('stopping')
                : t(
                    'notStoppedYet',
                    stop.lastError ?? t('remoteitDidNotAnswer'),
                    formatCountdown(stop.nextAttemptAt - now),
                  )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
