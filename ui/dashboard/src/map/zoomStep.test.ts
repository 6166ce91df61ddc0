import { describe, expect, it } from "vitest";
import { ZOOM_STEPS, zoomStep } from "./zoomStep";

describe("zoomStep (the zoom the map asks the server to simplify tracks for)", () => {
  it("rounds the view's zoom down to a step", () => {
    expect(zoomStep(9.7)).toBe(8);
    expect(zoomStep(11)).toBe(11);
    expect(zoomStep(13.99)).toBe(11);
    expect(zoomStep(17)).toBe(14);
  });

  it("asks for the coarsest step when zoomed out further", () => {
    expect(zoomStep(3)).toBe(ZOOM_STEPS[0]);
  });

  it("stays one value across a step, so the map refetches only when the step changes", () => {
    const steps = new Set([8, 8.5, 9.2, 10.9].map(zoomStep));
    expect(steps.size).toBe(1);
  });
});
