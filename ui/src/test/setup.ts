// Every test runs with the Tauri API mocked at its boundary (@tauri-apps/api): `invoke`
// answers from the handlers a test installs with `mockCommands`, `listen` records the
// listeners so a test can emit events. The real shell is covered end-to-end.
import { vi } from "vitest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

// jsdom has no scrolling; the router scrolls to the top on each screen.
window.scrollTo = (() => {}) as typeof window.scrollTo;
