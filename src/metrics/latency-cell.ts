// One histogram of durations (one label set, one outcome) in whole microseconds: an HdrHistogram
// from 1 µs to 10 min, 3 significant digits for successes, 2 for errors.
import { build, type JsHistogram } from 'hdr-histogram-js';

const HIGHEST_TRACKABLE_US = 10 * 60 * 1_000_000;

/**
 * Flat 32-bit counts: a record is ~100 ns and a read walks a plain array. (Packed counts save memory
 * but made a snapshot of 60 series take 250 ms instead of 4.) At 3 digits one takes 87 KB, at 2
 * digits 13 KB: error series use 2, since a tool can have several error types and errors are rare.
 */
export function buildHistogram(significantDigits: 2 | 3 = 3): JsHistogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: significantDigits,
    bitBucketSize: 32,
    autoResize: false,
    useWebAssembly: false,
  }) as JsHistogram;
}

/** Whole microseconds; a negative or non-finite duration (clock trouble) counts as 0. */
export function toMicros(durationMs: number): number {
  return durationMs > 0 && Number.isFinite(durationMs) ? Math.round(durationMs * 1000) : 0;
}

export class LatencyCell {
  readonly histogram: JsHistogram;
  /** Exact, unclamped: `_sum` and the mean should not lose what the histogram range clips. */
  sumUs = 0;
  maxUs = 0;
  readonly firstAtMs: number;
  lastAtMs: number;

  constructor(nowMs: number, significantDigits: 2 | 3) {
    this.histogram = buildHistogram(significantDigits);
    this.firstAtMs = nowMs;
    this.lastAtMs = nowMs;
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  record(durationUs: number, nowMs: number): void {
    this.histogram.recordValue(durationUs > HIGHEST_TRACKABLE_US ? HIGHEST_TRACKABLE_US : durationUs);
    this.sumUs += durationUs;
    if (durationUs > this.maxUs) this.maxUs = durationUs;
    this.lastAtMs = nowMs;
  }

  /** Adds this cell's counts per bucket (not yet cumulative) to `into`; bounds are inclusive. */
  addBucketCounts(boundsUs: readonly number[], into: number[]): void {
    const histogram = this.histogram;
    if (histogram.totalCount === 0) return;
    // One walk over the counts up to the largest value. A slot covers a small range of values; it
    // belongs to the first bound whose own slot is not before it.
    const lastIndex = histogram.countsArrayIndex(histogram.maxValue);
    let bound = 0;
    let boundIndex = histogram.countsArrayIndex(boundsUs[0]!);
    for (let index = 0; index <= lastIndex; index++) {
      const count = histogram.getCountAtIndex(index);
      if (count === 0) continue;
      while (index > boundIndex && ++bound < boundsUs.length)
        boundIndex = histogram.countsArrayIndex(boundsUs[bound]!);
      if (bound >= boundsUs.length) return;
      into[bound]! += count;
    }
  }
}
