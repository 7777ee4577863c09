/** What a proxy listener on this computer says first (an SSH banner, nothing for a web service). */
import { connect as tcpConnect } from 'node:net';

export function readBanner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString();
      socket.end();
    });
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}
