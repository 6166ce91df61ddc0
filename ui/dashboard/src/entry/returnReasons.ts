// The common reasons to return an entry, in the one place the return dialog reads them: each
// a short sentence in Chinese as the member will read it on the phone (the comment is sent in
// Chinese whatever the dashboard's language), with an English label for the English screen.
// The comment is the reasons ticked, in this order, then the county's own words.

export interface ReturnReason {
  code: string;
  zh: string;
  en: string;
}

export const RETURN_REASONS: readonly ReturnReason[] = [
  { code: "location", zh: "位置不准确", en: "Location is not accurate" },
  { code: "photos", zh: "照片不清楚或缺少照片", en: "Photos unclear or missing" },
  { code: "description", zh: "描述不完整", en: "Description incomplete" },
  { code: "time", zh: "时间有误", en: "Wrong time" },
  { code: "duplicate", zh: "重复记录", en: "Duplicate entry" },
];

/** The longest comment the server takes, in characters. */
export const MAX_COMMENT_CHARS = 500;

const SEPARATOR = "；";

/** The comment of the reasons ticked (in the list's order) and the free text, trimmed. */
export function returnComment(reasonCodes: readonly string[], freeText: string): string {
  const reasons = RETURN_REASONS.filter((reason) => reasonCodes.includes(reason.code)).map((reason) => reason.zh);
  const text = freeText.trim();
  return [...reasons, ...(text ? [text] : [])].join(SEPARATOR);
}

/** A return needs a comment, and the server takes at most MAX_COMMENT_CHARS. */
export function returnCommentProblem(comment: string): "required" | "tooLong" | null {
  if (!comment.trim()) return "required";
  return [...comment].length > MAX_COMMENT_CHARS ? "tooLong" : null;
}
