// How every screen is shown, from Settings' 字号 and 高对比度 (patrol-device's
// display_settings.rs): the whole page is scaled by the chosen text size (`--pl-text-scale`,
// which style.css gives to `zoom` on <html>, so targets grow with the text and the layout
// reflows to the narrower width), and high contrast is a class on <html> whose colours
// style.css sets.
import type { DisplaySettings, TextSize } from "../tauri/types";

export const HIGH_CONTRAST_CLASS = "pl-high-contrast";
export const TEXT_SCALE_PROPERTY = "--pl-text-scale";

// Every text size in the order Settings offers them; a size added in Rust fails the type check
// here until it is placed.
const TEXT_SIZE_ORDER: Record<TextSize, number> = { standard: 0, large: 1, extra_large: 2 };
export const TEXT_SIZES = (Object.keys(TEXT_SIZE_ORDER) as TextSize[]).sort((a, b) => TEXT_SIZE_ORDER[a] - TEXT_SIZE_ORDER[b]);

export function applyDisplay(display: DisplaySettings | null | undefined, root: HTMLElement = document.documentElement): void {
  const scale = display?.text_scale ?? 1;
  if (scale === 1) root.style.removeProperty(TEXT_SCALE_PROPERTY);
  else root.style.setProperty(TEXT_SCALE_PROPERTY, String(scale));
  root.classList.toggle(HIGH_CONTRAST_CLASS, display?.high_contrast ?? false);
}
