/** The one message the offscreen document understands. */
export const OFFSCREEN_COPY = 'offscreen-copy';

export interface OffscreenCopyMessage {
  target: typeof OFFSCREEN_COPY;
  text: string;
}

export function isOffscreenCopy(message: unknown): message is OffscreenCopyMessage {
  const candidate = message as Partial<OffscreenCopyMessage> | null;
  return candidate?.target === OFFSCREEN_COPY && typeof candidate.text === 'string';
}
