// UI text of the incident (案件), outreach (普法宣传) and activity (活动) forms, their closed
// vocabularies (labels as patrol-model's `domain_code!` declares them) and the county's review.
// Spread into messages.ts; keys must match in both languages.

export const otherKindsZhCN = {
  incident: {
    crimeType: "案件类型",
    persons: "涉案人数",
    personsHint: "抓获、劝返或移交的人数；只查获物品填 0",
    handedTo: "移交单位",
    handedToPlaceholder: "如：田蓬边境派出所",
    description: "案件经过",
    descriptionPlaceholder: "如：界碑125附近劝返2名非法越境人员",
    saved: "案件已保存",
  },
  outreach: {
    village: "宣传村寨",
    villagePlaceholder: "如：田蓬村",
    topic: "宣传主题",
    topicPlaceholder: "如：禁毒、边境管控形势",
    audience: "受教育人数",
    description: "宣传情况",
    descriptionPlaceholder: "如：发放宣传册200份",
    saved: "普法宣传已保存",
  },
  activity: {
    activityType: "活动类型",
    attendees: "参加人数",
    topic: "活动内容",
    topicPlaceholder: "如：突发事件处置演练",
    description: "活动情况",
    descriptionPlaceholder: "如：与边境派出所联合开展",
    saved: "活动已保存",
  },
  review: {
    title: "县里审核",
    approved: "已通过",
    returned: "已退回",
    returnedWith: "已退回：{comment}",
    by: "{reviewer} · {time}",
    returnedHint: "请按县里的意见修改后保存，修改后会重新提交审核。",
    fix: "修改",
  },
  send: {
    pending: "待发送",
    sent: "已发送",
    rejected: "被拒",
    pendingLong: "待发送：联网后自动发送到县里",
    sentLong: "已发送到县里",
    rejectedLong: "被县里拒收，请按原因修改后保存，会重新发送：",
    receivedLong: "由本所其他手机发送",
  },
};

export const otherVocabZhCN = {
  crimeType: { smuggling: "走私", illegal_crossing: "非法越境", drugs: "毒品", other: "其他" },
  activityType: {
    training: "技能培训",
    drill: "战术演练",
    joint_meeting: "军地联席会议",
    quarterly_meeting: "季度边境管控推进会",
    study_day: "集中学习日",
    party_day: "主题党日",
    clean_up: "环境卫生整治",
  },
};

export const otherKindsEnUS: typeof otherKindsZhCN = {
  incident: {
    crimeType: "Crime type",
    persons: "Persons involved",
    personsHint: "Held, turned back or handed over; 0 when only goods were found",
    handedTo: "Handed to",
    handedToPlaceholder: "e.g. Tianpeng border police station",
    description: "What happened",
    descriptionPlaceholder: "e.g. 2 people turned back near marker 125",
    saved: "Incident saved",
  },
  outreach: {
    village: "Village",
    villagePlaceholder: "e.g. Tianpeng",
    topic: "Topic",
    topicPlaceholder: "e.g. anti-drugs, border rules",
    audience: "Audience",
    description: "Notes",
    descriptionPlaceholder: "e.g. 200 leaflets handed out",
    saved: "Outreach session saved",
  },
  activity: {
    activityType: "Activity",
    attendees: "Attendees",
    topic: "Topic",
    topicPlaceholder: "e.g. emergency response drill",
    description: "Notes",
    descriptionPlaceholder: "e.g. with the border police station",
    saved: "Activity saved",
  },
  review: {
    title: "County review",
    approved: "Approved",
    returned: "Returned",
    returnedWith: "Returned: {comment}",
    by: "{reviewer} · {time}",
    returnedHint: "Correct it as the county asks and save; it is then reviewed again.",
    fix: "Edit",
  },
  send: {
    pending: "To send",
    sent: "Sent",
    rejected: "Refused",
    pendingLong: "Not sent yet: it goes to the county once online",
    sentLong: "Sent to the county",
    rejectedLong: "Refused by the county. Correct it and save, and it is sent again:",
    receivedLong: "Sent by another phone of the post",
  },
};

export const otherVocabEnUS: typeof otherVocabZhCN = {
  crimeType: { smuggling: "Smuggling", illegal_crossing: "Illegal crossing", drugs: "Drugs", other: "Other" },
  activityType: {
    training: "Training",
    drill: "Drill",
    joint_meeting: "Joint meeting",
    quarterly_meeting: "Quarterly meeting",
    study_day: "Study day",
    party_day: "Party day",
    clean_up: "Village clean-up",
  },
};
