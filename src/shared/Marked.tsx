/** A translated sentence with parts marked up (<strong>, <code>, <kbd>): the words around them stay the translation's. */
import type { ComponentChildren } from 'preact';
import { t, type MessageKey } from './i18n';

const MARK = '\uE000';

/** `parts[0]` goes where the message's first substitution is, `parts[1]` the second. */
export function Marked({ message, parts }: { message: MessageKey; parts: ComponentChildren[] }) {
  const text = t(message, ...parts.map((_, index) => `${MARK}${index}${MARK}`));
  const pieces = text.split(new RegExp(`${MARK}(\\d)${MARK}`));
  return <>{pieces.map((piece, index) => (index % 2 ? parts[Number(piece)] : piece))}</>;
}
