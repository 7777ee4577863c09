/** The person's saved services: the model, service-ID validation, `devicetype` decoding and account import. */
import type { RawDevice } from './api';
import type { ListedDevice } from './graphql/client';
import { t } from './i18n';

export type ConnectionMode = { kind: 'latching' } | { kind: 'public' } | { kind: 'restricted'; ip: string };
export type CopyFormat = 'address' | 'command';

export interface SavedService {
  /** remote.it service ID (`deviceaddress`), upper-case. */
  id: string;
  name: string;
  /** The device the service runs on; empty when unknown. */
  device: string;
  /** Display type: HTTP, HTTPS, SSH, RDP, VNC, TCP, … */
  type: string;
  /** remote.it application type id, when known. */
  typeId: number | null;
  /** null when the state is unknown (added by hand). */
  online: boolean | null;
  source: 'account' | 'manual';
  /** false once a refresh no longer finds it in the account. */
  inAccount?: boolean;
  favourite?: boolean;
  /** Overrides the default connection mode. */
  mode?: ConnectionMode;
  sshUser?: string;
  copyFormat?: CopyFormat;
}

const SERVICE_ID = /^[0-9A-F]{2}(:[0-9A-F]{2}){7}$/;

/** Upper-cased service ID, or null when it is not eight colon-separated hex bytes. */
export function normaliseServiceId(input: string): string | null {
  const id = input.trim().toUpperCase();
  return SERVICE_ID.test(id) ? id : null;
}

interface TypeInfo {
  label: string;
  /** remote.it serves these through an always-public reverse proxy opened in a tab. */
  web: boolean;
}

export const BULK_SERVICE_TYPE = 35;

const TYPES: Record<number, TypeInfo> = {
  1: { label: 'TCP', web: false },
  4: { label: 'VNC', web: false },
  5: { label: 'RDP', web: false },
  7: { label: 'HTTP', web: true },
  8: { label: 'HTTPS', web: true },
  10: { label: 'HTTPS', web: true },
  28: { label: 'SSH', web: false },
  29: { label: 'TCP', web: false },
  30: { label: 'HTTP', web: true },
  33: { label: 'HTTPS', web: true },
  34: { label: 'SMB', web: false },
  35: { label: 'Device', web: false },
  37: { label: 'NxWitness', web: false },
  38: { label: 'Nextcloud', web: true },
  39: { label: 'OpenVPN', web: false },
  44: { label: 'Redis', web: false },
  45: { label: 'MySQL', web: false },
  46: { label: 'PostgreSQL', web: false },
  49: { label: 'SOCKS', web: false },
};

const TITLE_TYPES: [RegExp, string][] = [
  [/^bulk service$/i, 'Device'],
  [/^ssh$/i, 'SSH'],
  [/^(http|basic web)$/i, 'HTTP'],
  [/^(https|secure web)$/i, 'HTTPS'],
  [/^vnc$/i, 'VNC'],
  [/^rdp/i, 'RDP'],
  [/tcp/i, 'TCP'],
];

/** The display type of a remote.it application type id, falling back to its title when the id is unknown. */
export function serviceType(typeId: number | null, title: string): { typeId: number | null; type: string } {
  if (typeId !== null) {
    // Bit 0x8000 marks the UDP variants (generic UDP, WireGuard, …).
    if (typeId & 0x8000) return { typeId, type: 'UDP' };
    const known = TYPES[typeId];
    if (known) return { typeId, type: known.label };
  }
  const trimmed = title.trim();
  const byTitle = TITLE_TYPES.find(([pattern]) => pattern.test(trimmed));
  return { typeId: null, type: byTitle?.[1] ?? (trimmed || 'TCP') };
}

/** Type id from bytes 0-1 of v27's colon-hex `devicetype`, falling back to `servicetitle`. */
export function decodeServiceType(
  devicetype: string,
  servicetitle: string,
): { typeId: number | null; type: string } {
  const bytes = devicetype.split(':');
  const readable = bytes.length >= 2 && bytes.slice(0, 2).every((byte) => /^[0-9A-F]{2}$/i.test(byte));
  return serviceType(readable ? parseInt(bytes[0]! + bytes[1]!, 16) : null, servicetitle);
}

export function isWebType(type: string): boolean {
  return type === 'HTTP' || type === 'HTTPS' || type === 'Nextcloud' || type === 'Web';
}

export interface ImportedDevice {
  name: string;
  /** Another account owns it and shares it with this one: its email. */
  sharedBy?: string;
  online: boolean;
  services: SavedService[];
}

/**
 * Groups an account's services under their devices. v27 has no parent field: the "Bulk Service" entry is the
 * device, and its services are named "<device> - <service>" or share the device's last IP.
 */
export function groupAccountServices(raw: RawDevice[]): ImportedDevice[] {
  const devices: ImportedDevice[] = [];
  const byName = new Map<string, ImportedDevice>();
  const byIp = new Map<string, ImportedDevice>();
  const services: SavedService[] = [];
  for (const entry of raw) {
    const id = normaliseServiceId(entry.deviceaddress);
    if (!id) continue;
    const { typeId, type } = decodeServiceType(entry.devicetype, entry.servicetitle);
    const online = entry.devicestate === 'active';
    if (typeId === BULK_SERVICE_TYPE || (typeId === null && type === 'Device')) {
      const device: ImportedDevice = { name: entry.devicealias.trim(), online, services: [] };
      devices.push(device);
      byName.set(device.name.toLowerCase(), device);
      if (entry.devicelastip) byIp.set(entry.devicelastip, device);
      continue;
    }
    services.push({
      id,
      name: entry.devicealias.trim() || id,
      device: entry.devicelastip ?? '',
      type,
      typeId,
      online,
      source: 'account',
      inAccount: true,
    });
  }
  const others: ImportedDevice = { name: t('otherServices'), online: true, services: [] };
  for (const service of services) {
    const prefix = service.name.includes(' - ')
      ? service.name.slice(0, service.name.lastIndexOf(' - ')).toLowerCase()
      : '';
    const device = byName.get(prefix) ?? byIp.get(service.device) ?? others;
    service.device = device === others ? '' : device.name;
    device.services.push(service);
  }
  if (others.services.length) devices.push(others);
  return devices.filter((device) => device.services.length > 0);
}

/**
 * The GraphQL listing's devices as import groups: services named "<device> - <service>" like v27's (a name
 * that already starts with its device's is kept as it is), shared devices marked with their owner.
 */
export function importListedDevices(listed: ListedDevice[]): ImportedDevice[] {
  return listed
    .map((device): ImportedDevice => {
      const imported: ImportedDevice = {
        name: device.name,
        online: device.online,
        services: device.services.flatMap((service): SavedService[] => {
          const id = normaliseServiceId(service.id);
          if (!id) return [];
          const { typeId, type: decoded } = serviceType(service.typeId, service.title);
          // remote.it says which application types it serves through a reverse proxy: that decides.
          const type = service.reverseProxy && !isWebType(decoded) ? 'Web' : decoded;
          return [
            {
              id,
              name: service.name.toLowerCase().startsWith(device.name.toLowerCase())
                ? service.name
                : `${device.name} - ${service.name}`,
              device: device.name,
              type,
              typeId,
              online: service.online,
              source: 'account',
              inAccount: true,
            },
          ];
        }),
      };
      if (device.shared) imported.sharedBy = device.owner.email;
      return imported;
    })
    .filter((device) => device.services.length > 0);
}

/**
 * Merges a fresh import into the saved list: the person's names, favourites and settings stay, remote state
 * (online, type, device) is updated, and saved services the account no longer has are flagged, not dropped.
 */
export function mergeImport(
  saved: SavedService[],
  imported: SavedService[],
  selectedIds?: Set<string>,
): SavedService[] {
  const importedById = new Map(imported.map((service) => [service.id, service]));
  const merged = saved.map((service) => {
    const fresh = importedById.get(service.id);
    if (!fresh)
      return service.source === 'account' ? { ...service, inAccount: false, online: false } : service;
    importedById.delete(service.id);
    return {
      ...service,
      device: fresh.device,
      type: fresh.type,
      typeId: fresh.typeId,
      online: fresh.online,
      inAccount: true,
    };
  });
  for (const service of importedById.values()) {
    if (!selectedIds || selectedIds.has(service.id)) merged.push(service);
  }
  return merged;
}
