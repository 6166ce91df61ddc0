import { describe, expect, it } from "vitest";
import { applyDisplay, HIGH_CONTRAST_CLASS, TEXT_SCALE_PROPERTY } from "./display";

describe("the display settings", () => {
  it("scale the page and switch high contrast, and go back to standard", () => {
    const root = document.createElement("html");
    applyDisplay({ text_size: "extra_large", text_scale: 1.3, high_contrast: true }, root);
    expect(root.style.getPropertyValue(TEXT_SCALE_PROPERTY)).toBe("1.3");
    expect(root.classList.contains(HIGH_CONTRAST_CLASS)).toBe(true);
    applyDisplay({ text_size: "standard", text_scale: 1, high_contrast: false }, root);
    expect(root.style.getPropertyValue(TEXT_SCALE_PROPERTY)).toBe("");
    expect(root.classList.contains(HIGH_CONTRAST_CLASS)).toBe(false);
    applyDisplay(null, root);
    expect(root.style.getPropertyValue(TEXT_SCALE_PROPERTY)).toBe("");
  });
});
