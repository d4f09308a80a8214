/** A non-null object that is not an array (a JSON object, a log binding, an error), its properties readable. */
export const isObjectRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
