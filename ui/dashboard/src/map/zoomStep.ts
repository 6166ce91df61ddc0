// The `zoom` the map asks GET /api/v1/admin/map with: the view's zoom rounded down to one of
// a few steps, so that tracks come simplified to about a pixel at that zoom and the map asks
// again only when the step changes (not at every scroll of the wheel).
export const ZOOM_STEPS = [5, 8, 11, 14] as const;

export function zoomStep(zoom: number): number {
  let step: number = ZOOM_STEPS[0];
  for (const candidate of ZOOM_STEPS) if (Math.floor(zoom) >= candidate) step = candidate;
  return step;
}
