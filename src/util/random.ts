import { closeSync, openSync, readSync } from 'node:fs';

/**
 * `bytes` random bytes from the system's generator, as hex: for nonces that must not be guessed.
 * Read from /dev/urandom rather than through node:crypto, which costs ~4 ms of every start-up to
 * load (a sixth of what the program itself costs); Web Crypto, global in Node 20, where there is
 * no /dev/urandom.
 */
export function randomHex(bytes: number): string {
  const buffer = Buffer.alloc(bytes);
  let filled = 0;
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      filled = readSync(fd, buffer, 0, bytes, null);
    } finally {
      closeSync(fd);
    }
  } catch {
    filled = 0;
  }
  if (filled !== bytes) globalThis.crypto.getRandomValues(buffer);
  return buffer.toString('hex');
}
