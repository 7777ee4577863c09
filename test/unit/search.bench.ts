/** `npm run bench`: search and ordering over a 5,000-service catalog, as the popup does per keystroke. */
import { bench, describe } from 'vitest';
import { searchServices } from '../../src/shared/search';
import { makeService } from '../fixtures';

const TYPES = ['SSH', 'HTTP', 'RDP', 'VNC'];
const services = Array.from({ length: 5000 }, (_, index) => {
  const device = `Device ${String(Math.floor(index / 4) + 1).padStart(4, '0')}`;
  const type = TYPES[index % 4]!;
  const hex = (index + 1).toString(16).toUpperCase().padStart(4, '0');
  return makeService({
    id: `80:00:00:00:${hex.slice(0, 2)}:${hex.slice(2)}:2B:0${index % 4}`,
    name: `${device} - ${type}`,
    device,
    type,
    typeId: null,
    online: index % 40 !== 0,
    favourite: index % 500 === 0,
  });
});
const context = {
  lastUsed: Object.fromEntries(services.slice(0, 50).map((service, index) => [service.id, index])),
};

describe('search 5,000 services', () => {
  bench('no query (ordering only)', () => void searchServices(services, '', context));
  bench('one word', () => void searchServices(services, 'device 12', context));
  bench('two words, narrow', () => void searchServices(services, '0420 ssh', context));
  bench('service ID fragment', () => void searchServices(services, '2b:03', context));
});
