// The page's bounded history: the newest items first, at most `capacity`.

/** Keeps the newest `capacity` items, newest first. */
export function pushBounded<T>(list: readonly T[], items: readonly T[], capacity: number): T[] {
  const next = [...[...items].reverse(), ...list];
  return next.length > capacity ? next.slice(0, capacity) : next;
}
