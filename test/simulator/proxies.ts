/** Real loopback listeners that stand in for remote.it's reverse proxies and port proxies. */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export type IpFilter =
  { kind: 'public' } | { kind: 'restricted'; ip: string } | { kind: 'latching'; latchedIp: string | null };

export interface ProxyListener {
  readonly kind: 'reverse' | 'port';
  readonly port: number;
  /** The address as the API reports it in `proxy`. */
  readonly proxy: string;
  readonly host: string;
  readonly filter: IpFilter;
  close(): Promise<void>;
  readonly closed: boolean;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Node reports IPv4 clients of a dual-stack socket as `::ffff:a.b.c.d`. */
export function normaliseIp(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}

const BANNERS: Record<number, string> = {
  28: 'SSH-2.0-OpenSSH_9.2p1 remoteit-simulator\r\n',
  4: 'RFB 003.008\n',
};

/** The listener as the simulator sees it; `shutdown` drops open connections before the server closes. */
function handle(
  fields: Pick<ProxyListener, 'kind' | 'port' | 'host' | 'proxy' | 'filter'>,
  server: HttpServer | TcpServer,
  shutdown: () => void,
): ProxyListener {
  let closed = false;
  return {
    ...fields,
    get closed() {
      return closed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        shutdown();
        server.close(() => resolve());
      }),
  };
}

async function listen(server: HttpServer | TcpServer): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export async function openReverseProxy(title: string, onUse: () => void): Promise<ProxyListener> {
  const host = `${randomBytes(5).toString('hex')}.p18.localhost`;
  const server = createHttpServer((request, response) => {
    onUse();
    const path = request.url ?? '/';
    const heading = path === '/details' ? `${title}: details` : title;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(heading)}</title></head>` +
        `<body><h1>${escapeHtml(heading)}</h1><p>Served through a remote.it simulator reverse proxy.</p>` +
        `<p><a id="details" href="/details" target="_blank">Open details in a new tab</a></p></body></html>`,
    );
  });
  const port = await listen(server);
  const fields = {
    kind: 'reverse',
    port,
    host,
    proxy: `http://${host}:${port}`,
    filter: { kind: 'public' },
  } as const;
  return handle(fields, server, () => server.closeAllConnections());
}

export async function openPortProxy(
  typeId: number,
  filter: IpFilter,
  onUse: () => void,
): Promise<ProxyListener> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    const clientIp = normaliseIp(socket.remoteAddress);
    if (filter.kind === 'latching' && filter.latchedIp === null) filter.latchedIp = clientIp;
    const allowed =
      filter.kind === 'public' ||
      (filter.kind === 'restricted' && filter.ip === clientIp) ||
      (filter.kind === 'latching' && filter.latchedIp === clientIp);
    if (!allowed) {
      socket.destroy();
      return;
    }
    onUse();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
    const banner = BANNERS[typeId];
    if (banner) socket.write(banner);
  });
  const port = await listen(server);
  const fields = {
    kind: 'port',
    port,
    host: '127.0.0.1',
    proxy: `http://127.0.0.1:${port}`,
    filter,
  } as const;
  return handle(fields, server, () => {
    for (const socket of sockets) socket.destroy();
  });
}
