/** The service list: renders only the rows in view, so 5,000 services scroll and filter instantly. */
import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { SavedService } from '../shared/catalog';
import { t } from '../shared/i18n';

export const ROW_HEIGHT = 52;
const VIEWPORT_HEIGHT = 312;
const OVERSCAN = 4;

export interface ServiceListProps {
  services: SavedService[];
  connectedIds: Set<string>;
  connectingIds: Set<string>;
  /** Set by the search box (ArrowDown) to move focus into the list; each new value is one request. */
  focusRequest: { index: number } | null;
  /** Arrow-up past the first row, or Escape: back to the search box. */
  onReturnToSearch: (clear: boolean) => void;
  onConnect: (service: SavedService) => void;
  onToggleFavourite: (service: SavedService) => void;
}

function statusOf(service: SavedService, props: ServiceListProps): string {
  if (props.connectingIds.has(service.id)) return t('statusConnecting');
  if (props.connectedIds.has(service.id)) return t('statusConnected');
  if (service.online === false) return t('offline');
  return '';
}

export function ServiceList(props: ServiceListProps) {
  const { services, focusRequest } = props;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [, requestRender] = useReducer((count: number, _: void) => count + 1, 0);
  /** Row the keyboard asked for and that has not been focused yet (it may not be rendered yet). */
  const pendingFocus = useRef<number | null>(null);
  /** Row that has, or is about to get, focus: keys count from here even before focus has moved. */
  const current = useRef<number | null>(null);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(services.length, Math.ceil((scrollTop + VIEWPORT_HEIGHT) / ROW_HEIGHT) + OVERSCAN);

  // A new result set starts at the top.
  useEffect(() => {
    if (viewport.current) viewport.current.scrollTop = 0;
    setScrollTop(0);
  }, [services]);

  useEffect(() => {
    if (focusRequest) moveFocus(focusRequest.index);
    // Once per request: moveFocus is recreated every render and reads that render's scroll position.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusRequest]);

  // Focus follows keyboard requests only; focus never writes state back, so the two cannot chase each other.
  useEffect(() => {
    if (pendingFocus.current === null) return;
    const button = viewport.current?.querySelector<HTMLButtonElement>(
      `[data-index="${pendingFocus.current}"] .connect`,
    );
    if (!button) return;
    pendingFocus.current = null;
    button.focus({ preventScroll: true });
  });

  function moveFocus(index: number) {
    if (index < 0) return props.onReturnToSearch(false);
    const target = Math.min(index, services.length - 1);
    const element = viewport.current;
    let top = scrollTop;
    if (element) {
      const rowTop = target * ROW_HEIGHT;
      if (rowTop < element.scrollTop) element.scrollTop = rowTop;
      else if (rowTop + ROW_HEIGHT > element.scrollTop + VIEWPORT_HEIGHT)
        element.scrollTop = rowTop + ROW_HEIGHT - VIEWPORT_HEIGHT;
      top = element.scrollTop;
    }
    pendingFocus.current = target;
    current.current = target;
    setScrollTop(top);
    // Render even when nothing scrolled, so the focus effect runs.
    requestRender();
  }

  function onKeyDown(event: KeyboardEvent, focusedIndex: number) {
    // Keys can arrive before focus has followed the previous one (a held-down arrow): count from the target.
    const index = current.current ?? focusedIndex;
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: services.length - 1,
      PageDown: index + 6,
      PageUp: Math.max(0, index - 6),
    };
    const next = moves[event.key];
    if (next !== undefined) {
      event.preventDefault();
      moveFocus(next);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      props.onReturnToSearch(true);
    }
  }

  return (
    <div
      class="viewport"
      ref={viewport}
      style={{ height: `${Math.min(VIEWPORT_HEIGHT, services.length * ROW_HEIGHT)}px` }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <ul class="services" aria-label={t('services')} style={{ height: `${services.length * ROW_HEIGHT}px` }}>
        {services.slice(first, last).map((service, offset) => {
          const index = first + offset;
          const status = statusOf(service, props);
          return (
            <li
              key={service.id}
              data-index={index}
              class={service.online === false ? 'offline' : undefined}
              style={{ top: `${index * ROW_HEIGHT}px` }}
              aria-setsize={services.length}
              aria-posinset={index + 1}
            >
              <button
                type="button"
                class="connect"
                aria-describedby={`meta-${index}`}
                onClick={() => props.onConnect(service)}
                onKeyDown={(event) => onKeyDown(event, index)}
                onFocus={() => {
                  current.current = index;
                }}
              >
                {/* The accessible name is built from what is visible: "Connect Garage Pi - SSH (offline)". */}
                <span class="visually-hidden">{t('connectServicePrefix')} </span>
                <span class="name">{service.name}</span>
                {status && <span class="visually-hidden"> ({status.toLowerCase().replace('…', '')})</span>}
                <span class="meta" id={`meta-${index}`} aria-hidden="true">
                  {service.device ? `${service.device} · ` : ''}
                  {service.type}
                </span>
              </button>
              {status && (
                <span class="status" aria-hidden="true">
                  {status}
                </span>
              )}
              <button
                type="button"
                class="star"
                aria-pressed={!!service.favourite}
                aria-label={t('favouriteNamed', service.name)}
                title={service.favourite ? t('removeFromFavourites') : t('addToFavourites')}
                onClick={() => props.onToggleFavourite(service)}
              >
                {service.favourite ? '★' : '☆'}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
