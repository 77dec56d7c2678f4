import { UsageError } from '../errors.js';

/** A flag's value as a positive whole number, or a UsageError naming the flag. */
export function parsePositiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is not a positive whole number; pass e.g. ${flag} 700`,
    );
  }
  return Number(value);
}
