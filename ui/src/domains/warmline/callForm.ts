// The call form as typed, kept as the draft the desk saves while the call goes on, and what it
// sends when the call is logged. Pure, so the rules are tested without a window.
import { utcOfLocal } from "../../lib/time";
import type { CallInput, CallKind, CallType, Named, Outcome } from "./api";
import { escalates } from "./api";

export interface CallDraft {
  call_type_id: string | null;
  caller: Named | null;
  topic_ids: string[];
  referrals: Named[];
  outcome: Outcome | null;
  escalated: boolean;
  escalation_reason: string;
  notes: string;
  follow_up: { wanted: boolean; due_local: string; request: string; callback_number: string };
  /** When the volunteer pressed End (UTC); until then the call runs. */
  ended_at: string | null;
  /** The length in whole minutes as corrected by the volunteer; "" keeps start to end. */
  duration_minutes: string;
}

export function emptyDraft(): CallDraft {
  return {
    call_type_id: null,
    caller: null,
    topic_ids: [],
    referrals: [],
    outcome: null,
    escalated: false,
    escalation_reason: "",
    notes: "",
    follow_up: { wanted: false, due_local: "", request: "", callback_number: "" },
    ended_at: null,
    duration_minutes: "",
  };
}

/** The draft the desk kept, read back; whatever of it no longer parses starts empty. */
export function parseDraft(saved: string): CallDraft {
  const draft = emptyDraft();
  let stored: Partial<CallDraft>;
  try {
    stored = JSON.parse(saved) as Partial<CallDraft>;
  } catch {
    return draft;
  }
  if (!stored || typeof stored !== "object") return draft;
  return { ...draft, ...stored, follow_up: { ...draft.follow_up, ...(stored.follow_up ?? {}) } };
}

/** A problem the form finds before asking the desk, keyed by the field core would name. */
export class DraftProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export function kindOf(draft: CallDraft, types: readonly CallType[]): CallKind | null {
  return types.find((type) => type.id === draft.call_type_id)?.kind ?? null;
}

/** What the desk is sent for a call that started at `startedAt`. A non-data call keeps its type
 * and times and nothing else, whatever was typed before its type was chosen. */
export function draftToInput(
  draft: CallDraft,
  startedAt: string,
  types: readonly CallType[],
  timeZone: string,
  takenBy: string | null = null,
): CallInput {
  const input: CallInput = {
    call_type_id: draft.call_type_id,
    caller_id: null,
    started_at: startedAt,
    ended_at: draft.ended_at,
    duration_seconds: minutesToSeconds(draft.duration_minutes),
    taken_by: takenBy,
    topic_ids: [],
    resource_ids: [],
    outcome: null,
    escalated: false,
    escalation_reason: null,
    notes: null,
    follow_up: null,
  };
  if (kindOf(draft, types) !== "support") return input;
  const escalated = draft.escalated || escalates(draft.outcome);
  let followUp: CallInput["follow_up"] = null;
  if (draft.follow_up.wanted) {
    if (draft.follow_up.due_local === "") throw new DraftProblem("due_at", "Say when to call back.");
    followUp = {
      due_at: utcOfLocal(draft.follow_up.due_local, timeZone),
      request: draft.follow_up.request.trim() || null,
      callback_number: draft.follow_up.callback_number.trim() || null,
    };
  }
  return {
    ...input,
    caller_id: draft.caller?.id ?? null,
    topic_ids: [...draft.topic_ids],
    resource_ids: draft.referrals.map((resource) => resource.id),
    outcome: draft.outcome,
    escalated,
    escalation_reason: escalated ? draft.escalation_reason.trim() || null : null,
    notes: draft.notes.trim() || null,
    follow_up: followUp,
  };
}

function minutesToSeconds(minutes: string): number | null {
  const text = minutes.trim();
  if (text === "") return null;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new DraftProblem("duration_seconds", "The length is a number of minutes, 0 or more.");
  }
  return Math.round(value * 60);
}

/** Choosing an outcome that hands the caller to crisis help marks the call escalated. */
export function withOutcome(draft: CallDraft, outcome: Outcome): CallDraft {
  const followUp = outcome === "follow_up_requested" ? { ...draft.follow_up, wanted: true } : draft.follow_up;
  return { ...draft, outcome, escalated: draft.escalated || escalates(outcome), follow_up: followUp };
}
