import { describe, expect, it } from "vitest";
import type { CallType } from "./api";
import { draftToInput, DraftProblem, emptyDraft, parseDraft, withOutcome } from "./callForm";

const TYPES: CallType[] = [
  { id: "support", name: "Peer support", kind: "support", retired: false },
  { id: "hang-up", name: "Hang-up", kind: "non_data", retired: false },
];
const START = "2026-11-23T14:00:00.000Z";

describe("the call form", () => {
  it("sends a support call whole", () => {
    const draft = {
      ...withOutcome(emptyDraft(), "information_or_referral"),
      call_type_id: "support",
      caller: { id: "c1", name: "Birdie" },
      topic_ids: ["loneliness", "housing"],
      referrals: [{ id: "211", name: "2-1-1" }],
      notes: "  Talked about the shelter list.  ",
    };
    const input = draftToInput(draft, START, TYPES, "America/Chicago");
    expect(input).toMatchObject({
      call_type_id: "support",
      caller_id: "c1",
      topic_ids: ["loneliness", "housing"],
      resource_ids: ["211"],
      outcome: "information_or_referral",
      escalated: false,
      escalation_reason: null,
      notes: "Talked about the shelter list.",
      started_at: START,
      duration_seconds: null,
    });
  });

  it("keeps nothing but the type of a non-data call, whatever was typed first", () => {
    const draft = {
      ...withOutcome(emptyDraft(), "emergency_services"),
      call_type_id: "hang-up",
      caller: { id: "c1", name: "Birdie" },
      topic_ids: ["loneliness"],
      notes: "typed before it went quiet",
      escalation_reason: "x",
    };
    const input = draftToInput(draft, START, TYPES, "UTC");
    expect(input).toMatchObject({
      call_type_id: "hang-up",
      caller_id: null,
      topic_ids: [],
      resource_ids: [],
      outcome: null,
      escalated: false,
      escalation_reason: null,
      notes: null,
      follow_up: null,
    });
  });

  it("escalates a crisis hand-off, and a requested follow-up is due in the center's zone", () => {
    const escalated = withOutcome(emptyDraft(), "transferred_to_crisis_line");
    expect(escalated.escalated).toBe(true);
    const followUp = withOutcome(emptyDraft(), "follow_up_requested");
    expect(followUp.follow_up.wanted).toBe(true);
    const draft = {
      ...followUp,
      call_type_id: "support",
      follow_up: { ...followUp.follow_up, due_local: "2026-11-24T10:30" },
    };
    expect(draftToInput(draft, START, TYPES, "America/Chicago").follow_up?.due_at).toBe("2026-11-24T16:30:00.000Z");
  });

  it("refuses a follow-up with no time and a length that is not minutes, by field", () => {
    const noTime = { ...withOutcome(emptyDraft(), "follow_up_requested"), call_type_id: "support" };
    expect(() => draftToInput(noTime, START, TYPES, "UTC")).toThrowError(DraftProblem);
    const badLength = { ...emptyDraft(), call_type_id: "support", duration_minutes: "ten" };
    try {
      draftToInput(badLength, START, TYPES, "UTC");
      expect.unreachable();
    } catch (err) {
      expect((err as DraftProblem).field).toBe("duration_seconds");
    }
    expect(draftToInput({ ...badLength, duration_minutes: "12" }, START, TYPES, "UTC").duration_seconds).toBe(720);
  });

  it("reads back a saved draft, and an unreadable one as empty", () => {
    const saved = JSON.stringify({ notes: "still talking", follow_up: { wanted: true } });
    const draft = parseDraft(saved);
    expect(draft.notes).toBe("still talking");
    expect(draft.follow_up).toEqual({ wanted: true, due_local: "", request: "", callback_number: "" });
    expect(parseDraft("{}")).toEqual(emptyDraft());
    expect(parseDraft("not json")).toEqual(emptyDraft());
  });
});
