// UI text. Simplified Chinese is the default; English is selectable. Keys must match in both.

export const zhCN = {
  app: { title: "巡防日志" },
  log: {
    title: "巡防日志",
    empty: "暂无记录",
    loading: "加载中…",
    finished: "没有更多了",
    loadFailed: "加载失败",
    retry: "重试",
    deleted: "已删除",
  },
  kind: {
    patrol: "巡逻",
    hazard: "隐患排查",
    repair: "修复",
    incident: "案件协查",
    outreach: "普法宣传",
    activity: "活动",
    unknown: "其他",
  },
  status: {
    open: "待处置",
    fixed: "已修复",
    running: "进行中",
    ended: "已结束",
    unknown: "未知",
  },
  language: { switchTo: "EN", name: "中文" },
};

export type Messages = typeof zhCN;

export const enUS: Messages = {
  app: { title: "Patrol Log" },
  log: {
    title: "Patrol Log",
    empty: "No entries yet",
    loading: "Loading…",
    finished: "No more entries",
    loadFailed: "Could not load the log",
    retry: "Retry",
    deleted: "Deleted",
  },
  kind: {
    patrol: "Patrol",
    hazard: "Hazard",
    repair: "Repair",
    incident: "Incident",
    outreach: "Outreach",
    activity: "Activity",
    unknown: "Other",
  },
  status: {
    open: "Open",
    fixed: "Fixed",
    running: "Running",
    ended: "Ended",
    unknown: "Unknown",
  },
  language: { switchTo: "中文", name: "English" },
};
