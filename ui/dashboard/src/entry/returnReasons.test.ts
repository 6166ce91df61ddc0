import { describe, expect, it } from "vitest";
import { MAX_COMMENT_CHARS, RETURN_REASONS, returnComment, returnCommentProblem } from "./returnReasons";

describe("the return's comment", () => {
  it("offers the common reasons in one list", () => {
    expect(RETURN_REASONS.map((reason) => reason.zh)).toEqual(["位置不准确", "照片不清楚或缺少照片", "描述不完整", "时间有误", "重复记录"]);
    expect(new Set(RETURN_REASONS.map((reason) => reason.code)).size).toBe(RETURN_REASONS.length);
  });

  it("is the reasons ticked, in the list's order, then the free text", () => {
    expect(returnComment(["time", "location"], "  请核对界碑号 ")).toBe("位置不准确；时间有误；请核对界碑号");
    expect(returnComment(["photos"], "")).toBe("照片不清楚或缺少照片");
    expect(returnComment([], "请补拍")).toBe("请补拍");
    expect(returnComment(["unknown"], "")).toBe("");
  });

  it("is required, and at most 500 characters", () => {
    expect(returnCommentProblem("")).toBe("required");
    expect(returnCommentProblem("   ")).toBe("required");
    expect(returnCommentProblem("字".repeat(MAX_COMMENT_CHARS))).toBeNull();
    expect(returnCommentProblem("字".repeat(MAX_COMMENT_CHARS + 1))).toBe("tooLong");
  });
});
