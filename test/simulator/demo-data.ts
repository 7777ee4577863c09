/** The simulator's accounts and devices: a small demo account, an MFA account and a scale mode. */

export interface SimService {
  id: string;
  alias: string;
  typeId: number;
  port: number;
  title: string;
  active: boolean;
  lastIp: string;
}

export interface SimAccount {
  email: string;
  password: string;
  developerKey: string;
  authhash: string;
  guid: string;
  /** Accounts with two-factor authentication cannot use password login. */
  mfa: boolean;
  services: SimService[];
}

export const DEMO_EMAIL = 'demo@example.com';
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_DEVELOPER_KEY = 'DEMO-DEVELOPER-KEY-0123456789';
export const MFA_EMAIL = 'mfa@example.com';

/** servicetitle values as v27 spells them for each application type id. */
const TITLES: Record<number, string> = {
  1: 'Generic TCP',
  4: 'VNC',
  5: 'RDP Plus',
  7: 'HTTP',
  8: 'HTTPS',
  28: 'SSH',
  30: 'Basic Web',
  33: 'Secure Web',
  35: 'Bulk Service',
};

export function serviceTitle(typeId: number): string {
  return TITLES[typeId] ?? 'Generic TCP';
}

function hexByte(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}

/** 16-byte colon-hex `devicetype`: type id in bytes 0-1, platform in 8-9, target port in 10-11. */
export function deviceTypeString(typeId: number, port: number): string {
  const bytes = [typeId >> 8, typeId & 0xff, 0, 0, 0, 4, 0, 5, 4, 0x60, port >> 8, port & 0xff, 0, 1, 0, 0];
  return bytes.map(hexByte).join(':');
}

export function serviceId(deviceIndex: number, serviceIndex: number): string {
  return [
    '80',
    '00',
    '00',
    '00',
    hexByte((deviceIndex >> 8) & 0xff),
    hexByte(deviceIndex & 0xff),
    '2B',
    hexByte(serviceIndex),
  ].join(':');
}

interface DeviceSpec {
  name: string;
  active: boolean;
  services: { name: string; typeId: number; port: number }[];
}

const DEMO_DEVICES: DeviceSpec[] = [
  {
    name: 'Garage Pi',
    active: true,
    services: [
      { name: 'SSH', typeId: 28, port: 22 },
      { name: 'Web UI', typeId: 7, port: 80 },
    ],
  },
  {
    name: 'Office PC',
    active: true,
    services: [
      { name: 'RDP', typeId: 5, port: 3389 },
      { name: 'VNC', typeId: 4, port: 5900 },
    ],
  },
  {
    name: 'Home NAS',
    active: true,
    services: [
      { name: 'Admin', typeId: 8, port: 443 },
      { name: 'Backup TCP', typeId: 1, port: 8443 },
    ],
  },
  { name: 'Cabin Pi', active: false, services: [{ name: 'SSH', typeId: 28, port: 22 }] },
];

const SCALE_TYPES = [
  { name: 'SSH', typeId: 28, port: 22 },
  { name: 'Web', typeId: 7, port: 80 },
  { name: 'RDP', typeId: 5, port: 3389 },
  { name: 'VNC', typeId: 4, port: 5900 },
];

function buildServices(devices: DeviceSpec[]): SimService[] {
  return devices.flatMap((device, deviceIndex) => {
    const lastIp = `203.0.113.${(deviceIndex % 250) + 1}`;
    const bulk: SimService = {
      id: serviceId(deviceIndex + 1, 0),
      alias: device.name,
      typeId: 35,
      port: 0xffff,
      title: serviceTitle(35),
      active: device.active,
      lastIp,
    };
    return [
      bulk,
      ...device.services.map((service, index) => ({
        id: serviceId(deviceIndex + 1, index + 1),
        alias: `${device.name} - ${service.name}`,
        typeId: service.typeId,
        port: service.port,
        title: serviceTitle(service.typeId),
        active: device.active,
        lastIp,
      })),
    ];
  });
}

/** `scale` connectable services spread over devices of four services each; every tenth device offline. */
function scaleDevices(scale: number): DeviceSpec[] {
  const devices: DeviceSpec[] = [];
  for (let index = 0; index * SCALE_TYPES.length < scale; index++) {
    const remaining = scale - index * SCALE_TYPES.length;
    devices.push({
      name: `Device ${String(index + 1).padStart(4, '0')}`,
      active: index % 10 !== 9,
      services: SCALE_TYPES.slice(0, Math.min(remaining, SCALE_TYPES.length)),
    });
  }
  return devices;
}

export function buildAccounts(options: { scale?: number } = {}): SimAccount[] {
  const devices = options.scale ? scaleDevices(options.scale) : DEMO_DEVICES;
  return [
    {
      email: DEMO_EMAIL,
      password: DEMO_PASSWORD,
      developerKey: DEMO_DEVELOPER_KEY,
      authhash: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
      guid: '5A1B2C3D-0000-4000-8000-ABCDEF012345',
      mfa: false,
      services: buildServices(devices),
    },
    {
      email: MFA_EMAIL,
      password: DEMO_PASSWORD,
      developerKey: DEMO_DEVELOPER_KEY,
      authhash: 'F1E2D3C4B5A60718293A4B5C6D7E8F9012345678',
      guid: '5A1B2C3D-0000-4000-8000-ABCDEF0123FF',
      mfa: true,
      services: [],
    },
  ];
}
