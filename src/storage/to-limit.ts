// The row limit of a list call: a positive whole number, or the store's default.

export function toLimit(limit: number | undefined, fallback: number): number {
  return limit !== undefined && Number.isInteger(limit) && limit > 0 ? limit : fallback;
}
