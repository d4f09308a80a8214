/** A non-null object whose properties can be read (to narrow `unknown`). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}
