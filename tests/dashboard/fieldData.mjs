// What the test device records (with the `patrol` CLI) before the county looks at it, and the
// year-end figures counted back from the device's own copy of those entries (`patrol show`),
// so the dashboard's numbers are checked against the field data, not against themselves.

export const REPORT_YEAR = 2024;

const place = (lat, lon) => ({ lat, lon, accuracy_m: 6 });

/** Entries by a short name; `closes` names the hazard a repair fixes (its id is filled in). */
export const FIELD_ENTRIES = {
  patrolJoint: {
    kind: "patrol",
    occurred_at: "2024-03-01T08:00:00+08:00",
    ended_at: "2024-03-01T12:10:00+08:00",
    author: "李国华",
    body: {
      joint: true,
      members: ["李国华", "王明"],
      partners: [{ unit: "army", count: 4 }],
      markers: ["123", "124"],
      findings: "界碑123附近无异常",
      distance_km: 8.4,
    },
  },
  patrolAlone: {
    kind: "patrol",
    occurred_at: "2024-05-10T09:00:00+08:00",
    ended_at: "2024-05-10T11:00:00+08:00",
    author: "王明",
    body: { joint: false, members: ["王明"], partners: [], markers: [], findings: "", distance_km: 5.25 },
  },
  hazardFence: {
    kind: "hazard",
    occurred_at: "2024-03-02T08:10:00+08:00",
    location: place(23.6251, 105.6312),
    author: "李国华",
    body: { category: "fence", severity: "high", description: "界碑123旁铁网被洪水冲毁约30米" },
  },
  hazardRoad: {
    kind: "hazard",
    occurred_at: "2024-06-15T15:30:00+08:00",
    location: place(23.6402, 105.6055),
    author: "王明",
    body: { category: "road", severity: "medium", description: "便道塌方，摩托车无法通行" },
  },
  hazardWater: {
    kind: "hazard",
    occurred_at: "2024-07-02T10:00:00+08:00",
    location: place(23.6188, 105.6421),
    author: "李国华",
    body: { category: "water", severity: "low", description: "水源池铁网盖板松动" },
  },
  repairFence: {
    kind: "repair",
    occurred_at: "2024-03-05T14:00:00+08:00",
    location: place(23.6252, 105.6313),
    author: "李国华",
    closes: "hazardFence",
    body: { category: "fence", quantity: 30, unit: "m", description: "重新架设铁网 30 米" },
  },
  repairRoad: {
    kind: "repair",
    occurred_at: "2024-06-20T09:00:00+08:00",
    location: place(23.6301, 105.6111),
    author: "王明",
    body: { category: "road", quantity: 700, unit: "m", description: "修复水毁便道" },
  },
  incident: {
    kind: "incident",
    occurred_at: "2024-04-01T22:40:00+08:00",
    location: place(23.6122, 105.6533),
    author: "李国华",
    body: { crime_type: "illegal_crossing", persons: 2, handed_to: "田蓬边境派出所", description: "协助查获非法越境人员" },
  },
  outreachTianpeng: {
    kind: "outreach",
    occurred_at: "2024-04-10T10:00:00+08:00",
    author: "王明",
    body: { village: "田蓬村", topic: "禁毒", audience: 60 },
  },
  outreachMuyang: {
    kind: "outreach",
    occurred_at: "2024-08-12T10:00:00+08:00",
    author: "李国华",
    body: { village: "木央村", topic: "边境管控形势", audience: 45 },
  },
  training: {
    kind: "activity",
    occurred_at: "2024-09-03T08:30:00+08:00",
    author: "李国华",
    body: { activity_type: "training", attendees: 20, topic: "队列训练" },
  },
  jointMeeting: {
    kind: "activity",
    occurred_at: "2024-10-08T15:00:00+08:00",
    author: "李国华",
    body: { activity_type: "joint_meeting", attendees: 15, topic: "第三季度联席会议" },
  },
  patrolLastYear: {
    kind: "patrol",
    occurred_at: "2023-12-31T22:00:00+08:00",
    ended_at: "2023-12-31T23:30:00+08:00",
    author: "王明",
    body: { joint: true, members: ["王明"], partners: [{ unit: "police", count: 1 }], markers: [], findings: "", distance_km: 3 },
  },
};

/** The draft as `patrol record` takes it (the hazard a repair closes given by its id). */
export function draftOf(name, ids) {
  const { closes, ...draft } = FIELD_ENTRIES[name];
  if (closes) draft.body = { ...draft.body, closes_hazard: ids[closes] };
  return draft;
}

/** Names in an order where a hazard is recorded before the repair that closes it. */
export function recordingOrder() {
  const names = Object.keys(FIELD_ENTRIES);
  return [...names.filter((name) => !FIELD_ENTRIES[name].closes), ...names.filter((name) => FIELD_ENTRIES[name].closes)];
}

function localYear(document) {
  return Number(String(document.occurred_at).slice(0, 4));
}

function repairUnitQuantity(body) {
  const unit = body.category === "road" ? "km" : body.category === "fence" ? "m" : "count";
  if (unit === "km" && body.unit === "m") return body.quantity / 1000;
  if (unit === "m" && body.unit === "km") return body.quantity * 1000;
  return body.quantity;
}

const round = (value) => Math.round(value * 1000) / 1000;

/**
 * The year's figures as the device's own entries give them (documents from `patrol show
 * --json`): what the county's report must say about this one device's post.
 */
export function figuresFromDevice(documents, year) {
  const live = documents.filter((document) => !document.deleted && localYear(document) === year);
  const of = (kind) => live.filter((document) => document.kind === kind);
  const sum = (list, read) => round(list.reduce((total, document) => total + read(document), 0));
  const repairs = {};
  for (const document of of("repair")) {
    repairs[document.body.category] = round((repairs[document.body.category] ?? 0) + repairUnitQuantity(document.body));
  }
  const activities = {};
  for (const document of of("activity")) {
    activities[document.body.activity_type] = (activities[document.body.activity_type] ?? 0) + 1;
  }
  const hazards = of("hazard");
  return {
    patrols: {
      total: of("patrol").length,
      joint: of("patrol").filter((document) => document.body.joint).length,
      distance_km: sum(of("patrol"), (document) => document.body.distance_km ?? 0),
    },
    incidents: { cases: of("incident").length, persons: sum(of("incident"), (document) => document.body.persons) },
    outreach: { sessions: of("outreach").length, audience: sum(of("outreach"), (document) => document.body.audience) },
    repairs,
    activities,
    hazards: {
      found: hazards.length,
      fixed: hazards.filter((document) => document.status === "fixed").length,
      open: hazards.filter((document) => document.status !== "fixed").length,
    },
  };
}

/** The same shape, read from the county's report JSON (categories with zero left out). */
export function figuresFromReport(report) {
  const nonZero = (rows, read) => Object.fromEntries(rows.filter((row) => read(row) !== 0).map((row) => [row.code, round(read(row))]));
  return {
    patrols: { total: report.patrols.total, joint: report.patrols.joint, distance_km: round(report.patrols.distance_km) },
    incidents: { cases: report.incidents.cases, persons: report.incidents.persons },
    outreach: { sessions: report.outreach.sessions, audience: report.outreach.audience },
    repairs: nonZero(report.repairs, (row) => row.quantity),
    activities: nonZero(report.activities, (row) => row.sessions),
    hazards: { found: report.hazards.found, fixed: report.hazards.fixed, open: report.hazards.open },
  };
}

/**
 * The numbers each line of the report page states (its `data-figure` key → values), as the
 * report JSON gives them; the page must show exactly these.
 */
export function expectedReportLines(report) {
  const lines = {
    "patrols.joint": [report.patrols.joint],
    "patrols.total": [report.patrols.total, round(report.patrols.distance_km)],
    incidents: [report.incidents.cases, report.incidents.persons],
    outreach: [report.outreach.sessions, report.outreach.audience],
    hazards: [report.hazards.found, report.hazards.fixed, report.hazards.open],
  };
  for (const row of report.repairs) lines[`repairs.${row.code}`] = [round(row.quantity)];
  for (const row of report.activities) lines[`activities.${row.code}`] = [row.sessions];
  return lines;
}
