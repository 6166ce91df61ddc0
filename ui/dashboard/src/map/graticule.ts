// The map's background without tiles: a latitude/longitude grid whose spacing follows the
// zoom (four to about ten lines across the view), labelled "23.5°N", "105.5°E".

const STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 45];

export interface ViewBounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

/** The smallest round step that puts at most `maxLines` lines across `spanDegrees`. */
export function graticuleStep(spanDegrees: number, maxLines = 10): number {
  const span = Math.abs(spanDegrees);
  for (const step of STEPS) if (span / step <= maxLines) return step;
  return STEPS[STEPS.length - 1]!;
}

function decimalsOf(step: number): number {
  const text = String(step);
  const dot = text.indexOf(".");
  return dot === -1 ? 0 : text.length - dot - 1;
}

function linesWithin(low: number, high: number, step: number, min: number, max: number): number[] {
  const values: number[] = [];
  const first = Math.ceil(Math.max(low, min) / step);
  const last = Math.floor(Math.min(high, max) / step);
  const decimals = decimalsOf(step);
  for (let index = first; index <= last && values.length < 1000; index++) values.push(Number((index * step).toFixed(decimals)));
  return values;
}

/** The latitudes and longitudes the grid draws for the view. */
export function graticuleLines(bounds: ViewBounds): { step: number; latitudes: number[]; longitudes: number[] } {
  const step = graticuleStep(Math.max(bounds.north - bounds.south, bounds.east - bounds.west));
  return {
    step,
    latitudes: linesWithin(bounds.south, bounds.north, step, -85, 85),
    longitudes: linesWithin(bounds.west, bounds.east, step, -180, 180),
  };
}

export function latitudeLabel(lat: number, step: number): string {
  const text = Math.abs(lat).toFixed(decimalsOf(step));
  return lat === 0 ? "0°" : `${text}°${lat > 0 ? "N" : "S"}`;
}

export function longitudeLabel(lon: number, step: number): string {
  const text = Math.abs(lon).toFixed(decimalsOf(step));
  return lon === 0 || Math.abs(lon) === 180 ? `${text}°` : `${text}°${lon > 0 ? "E" : "W"}`;
}
