/**
 * Vega re-exports vega-time and vega-statistics at runtime, but its typings omit them;
 * these are the few we use, typed here once.
 */
import * as vega from 'vega';

interface BinResult {
  start: number;
  stop: number;
  step: number;
}

const untyped = vega as unknown as {
  bin(options: { extent: [number, number]; maxbins?: number; step?: number }): BinResult;
  timeFloor(units: string[]): (date: Date) => Date;
  utcFloor(units: string[]): (date: Date) => Date;
};

export const bin = untyped.bin;
export const timeFloor = untyped.timeFloor;
export const utcFloor = untyped.utcFloor;
