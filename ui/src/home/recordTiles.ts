// The home screen's "记录" tiles: one per kind, in the order members use them most, each with
// the kind's icon and colour (as the log shows them) and the route of its form.
import { ENTRY_KINDS, kindColour, kindIcon, type EntryKind } from "../log/entry";

export interface RecordTile {
  kind: EntryKind;
  labelKey: string;
  icon: string;
  colour: string;
  route: string;
  /** The tile's data-test (the patrol tile keeps the name the start button had). */
  test: string;
}

const LABEL_KEYS: Record<EntryKind, string> = {
  patrol: "home.startPatrol",
  hazard: "home.newHazard",
  repair: "home.newRepair",
  incident: "home.newIncident",
  outreach: "home.newOutreach",
  activity: "home.newActivity",
};

const RECORD_TILES: readonly RecordTile[] = ENTRY_KINDS.map((kind) => ({
  kind,
  labelKey: LABEL_KEYS[kind],
  icon: kindIcon(kind),
  colour: kindColour(kind),
  route: `/${kind}`,
  test: kind === "patrol" ? "home-start-patrol" : `home-new-${kind}`,
}));

/** The tiles; while a patrol runs, the patrol tile says so (and still leads to it). */
export function recordTiles(patrolRunning: boolean): readonly RecordTile[] {
  if (!patrolRunning) return RECORD_TILES;
  return RECORD_TILES.map((tile) =>
    tile.kind === "patrol" ? { ...tile, labelKey: "home.patrolRunning", test: "home-patrol-running-tile" } : tile,
  );
}
