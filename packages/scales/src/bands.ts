/**
 * A closed score range [min, max] with what it means. Bands are rules data: a scale's bands
 * must cover every reachable total exactly once (the tests check this for every shipped version).
 */
export interface Band<T> {
  readonly value: T;
  readonly min: number;
  readonly max: number;
  readonly zh: string;
  readonly en: string;
}

/**
 * The one band holding `score`.
 * @throws RangeError when no band or several hold it: a defect of the rules, not of the input.
 */
export function bandFor<T>(bands: readonly Band<T>[], score: number, what: string): Band<T> {
  const holding = bands.filter((band) => score >= band.min && score <= band.max);
  const [band] = holding;
  if (band === undefined || holding.length > 1) {
    throw new RangeError(`${what}: ${holding.length} bands hold score ${score}; the rules must cover each score exactly once`);
  }
  return band;
}
