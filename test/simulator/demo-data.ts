/** The simulator's accounts and devices: a small demo account, an MFA account, a friend who shares, and a scale mode. */

export interface SimService {
  id: string;
  /** The device's own entry (its Bulk Service) has this id too. */
  deviceId: string;
  ownerEmail: string;
  alias: string;
  typeId: number;
  port: number;
  title: string;
  active: boolean;
  lastIp: string;
}

/** An access key for signed GraphQL requests: its id and its base64 secret. */
export interface SimAccessKey {
  id: string;
  secret: string;
}

export interface SimAccount {
  email: string;
  password: string;
  developerKey: string;
  authhash: string;
  /** Also the account's GraphQL user id. */
  guid: string;
  /** Accounts with two-factor authentication cannot use password login. */
  mfa: boolean;
  services: SimService[];
  /** Other owners' services shared with this account (the same objects as in the owner's list). */
  sharedServices: SimService[];
  accessKeys: SimAccessKey[];
}

export const DEMO_EMAIL = 'demo@example.com';
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_DEVELOPER_KEY = 'DEMO-DEVELOPER-KEY-0123456789';
export const DEMO_ACCESS_KEY_ID = 'DEMOACCESSKEY0123456';
export const DEMO_ACCESS_KEY_SECRET = 'jYjWeVJzVs6zZV8Hg6uUNRCSDKXTREboePbiiIaapdA=';
export const MFA_EMAIL = 'mfa@example.com';
/** Two-factor accounts cannot sign in with a password but can with an access key. */
export const MFA_ACCESS_KEY_ID = 'MFAACCESSKEY01234567';
export const MFA_ACCESS_KEY_SECRET = '5r0xeaAue0zMJxohgTO8mPL4Qksa5KmepPQ3Qeb7nqA=';
/** Owns one device that is shared with the demo account when the `sharedDevices` option is on. */
export const FRIEND_EMAIL = 'friend@example.com';

export const BULK_SERVICE_TYPE = 35;

/** An application type as GraphQL's `applicationTypes` lists it; `title` is v27's `servicetitle`. */
export interface SimApplication {
  id: number;
  title: string;
  port: number | null;
  /** Served through a reverse proxy (web types) rather than a port proxy. */
  proxy: boolean;
  scheme: string;
}

export const APPLICATIONS: readonly SimApplication[] = [
  { id: 1, title: 'Generic TCP', port: null, proxy: false, scheme: 'tcp' },
  { id: 4, title: 'VNC', port: 5900, proxy: false, scheme: 'vnc' },
  { id: 5, title: 'RDP Plus', port: 3389, proxy: false, scheme: 'rdp' },
  { id: 7, title: 'HTTP', port: 80, proxy: true, scheme: 'http' },
  { id: 8, title: 'HTTPS', port: 443, proxy: true, scheme: 'https' },
  { id: 28, title: 'SSH', port: 22, proxy: false, scheme: 'ssh' },
  { id: 30, title: 'Basic Web', port: 80, proxy: true, scheme: 'http' },
  { id: 33, title: 'Secure Web', port: 443, proxy: true, scheme: 'https' },
  { id: BULK_SERVICE_TYPE, title: 'Bulk Service', port: 65535, proxy: false, scheme: 'bulk' },
];

function application(typeId: number): SimApplication | undefined {
  return APPLICATIONS.find((candidate) => candidate.id === typeId);
}

export function isReverseProxyType(typeId: number): boolean {
  return application(typeId)?.proxy ?? false;
}

export function serviceTitle(typeId: number): string {
  return application(typeId)?.title ?? 'Generic TCP';
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

/** Device numbers from `firstDevice` on, so that different owners' service ids never collide. */
function buildServices(devices: DeviceSpec[], ownerEmail: string, firstDevice = 1): SimService[] {
  return devices.flatMap((device, deviceIndex) => {
    const lastIp = `203.0.113.${(deviceIndex % 250) + 1}`;
    const deviceId = serviceId(firstDevice + deviceIndex, 0);
    const bulk: SimService = {
      id: deviceId,
      deviceId,
      ownerEmail,
      alias: device.name,
      typeId: BULK_SERVICE_TYPE,
      port: 0xffff,
      title: serviceTitle(BULK_SERVICE_TYPE),
      active: device.active,
      lastIp,
    };
    return [
      bulk,
      ...device.services.map((service, index) => ({
        id: serviceId(firstDevice + deviceIndex, index + 1),
        deviceId,
        ownerEmail,
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

const FRIEND_DEVICES: DeviceSpec[] = [
  {
    name: "Friend's Pi",
    active: true,
    services: [
      { name: 'SSH', typeId: 28, port: 22 },
      { name: 'Dashboard', typeId: 7, port: 80 },
    ],
  },
];

export function buildAccounts(options: { scale?: number; sharedDevices?: boolean } = {}): SimAccount[] {
  const devices = options.scale ? scaleDevices(options.scale) : DEMO_DEVICES;
  const friendServices = buildServices(FRIEND_DEVICES, FRIEND_EMAIL, 0xf001);
  return [
    {
      email: DEMO_EMAIL,
      password: DEMO_PASSWORD,
      developerKey: DEMO_DEVELOPER_KEY,
      authhash: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
      guid: '5A1B2C3D-0000-4000-8000-ABCDEF012345',
      mfa: false,
      services: buildServices(devices, DEMO_EMAIL),
      sharedServices: options.sharedDevices ? friendServices : [],
      accessKeys: [{ id: DEMO_ACCESS_KEY_ID, secret: DEMO_ACCESS_KEY_SECRET }],
    },
    {
      email: MFA_EMAIL,
      password: DEMO_PASSWORD,
      developerKey: DEMO_DEVELOPER_KEY,
      authhash: 'F1E2D3C4B5A60718293A4B5C6D7E8F9012345678',
      guid: '5A1B2C3D-0000-4000-8000-ABCDEF0123FF',
      mfa: true,
      services: [],
      sharedServices: [],
      accessKeys: [{ id: MFA_ACCESS_KEY_ID, secret: MFA_ACCESS_KEY_SECRET }],
    },
    {
      email: FRIEND_EMAIL,
      password: DEMO_PASSWORD,
      developerKey: DEMO_DEVELOPER_KEY,
      authhash: 'C0FFEE00B5A60718293A4B5C6D7E8F9012345678',
      guid: '5A1B2C3D-0000-4000-8000-ABCDEF01F00D',
      mfa: false,
      services: friendServices,
      sharedServices: [],
      accessKeys: [],
    },
  ];
}

/** What an account can list and connect to: its own services, then those shared with it. */
export function visibleServices(account: SimAccount): SimService[] {
  return [...account.services, ...account.sharedServices];
}
