/** Saved services as the extension stores them, for tests that need a catalog without importing one. */
import type { SavedService } from '../src/shared/catalog';

export const GARAGE_SSH: SavedService = {
  id: '80:00:00:00:00:01:2B:01',
  name: 'Garage Pi - SSH',
  device: 'Garage Pi',
  type: 'SSH',
  typeId: 28,
  online: true,
  source: 'account',
};

export const GARAGE_WEB: SavedService = {
  id: '80:00:00:00:00:01:2B:02',
  name: 'Garage Pi - Web UI',
  device: 'Garage Pi',
  type: 'HTTP',
  typeId: 7,
  online: true,
  source: 'account',
};
