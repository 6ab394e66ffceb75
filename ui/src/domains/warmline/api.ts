// What the warmline asks of the desk: each a command of src-tauri/src/commands/warmline.rs.
import { call } from "../../lib/api";
import type { Call } from "../../lib/bindings/Call";
import type { CallInput } from "../../lib/bindings/CallInput";
import type { CallKind } from "../../lib/bindings/CallKind";
import type { CallSummary } from "../../lib/bindings/CallSummary";
import type { CallType } from "../../lib/bindings/CallType";
import type { CallerFlag } from "../../lib/bindings/CallerFlag";
import type { CallerMatch } from "../../lib/bindings/CallerMatch";
import type { CallerProfile } from "../../lib/bindings/CallerProfile";
import type { Catalog } from "../../lib/bindings/Catalog";
import type { Count } from "../../lib/bindings/Count";
import type { FollowUp } from "../../lib/bindings/FollowUp";
import type { FollowUpInput } from "../../lib/bindings/FollowUpInput";
import type { Handoff } from "../../lib/bindings/Handoff";
import type { HandoffNote } from "../../lib/bindings/HandoffNote";
import type { HoldOn } from "../../lib/bindings/HoldOn";
import type { Named } from "../../lib/bindings/Named";
import type { OpenCall } from "../../lib/bindings/OpenCall";
import type { Outcome } from "../../lib/bindings/Outcome";
import type { Resource } from "../../lib/bindings/Resource";
import type { ResourceInput } from "../../lib/bindings/ResourceInput";
import type { Topic } from "../../lib/bindings/Topic";
import type { WarmlineFigures } from "../../lib/bindings/WarmlineFigures";

export type {
  Call,
  CallInput,
  CallKind,
  CallSummary,
  CallType,
  CallerFlag,
  CallerMatch,
  CallerProfile,
  Catalog,
  Count,
  FollowUp,
  FollowUpInput,
  Handoff,
  HandoffNote,
  HoldOn,
  Named,
  OpenCall,
  Outcome,
  Resource,
  ResourceInput,
  Topic,
  WarmlineFigures,
};

/** The records whose arrival from other desks the warmline's screens reload for. */
export const WARMLINE_ENTITIES = [
  "warmline_call",
  "warmline_caller",
  "warmline_caller_note",
  "warmline_caller_flag",
  "warmline_follow_up",
  "warmline_resource",
  "warmline_call_type",
  "warmline_topic",
  "warmline_handoff_note",
] as const;

export const warmlineApi = {
  catalog: (withRetired: boolean) => call("warmline_catalog", { with_retired: withRetired }),
  addCallType: (name: string, kind: CallKind) => call("add_call_type", { name, kind }),
  addTopic: (name: string) => call("add_topic", { name }),
  setItemRetired: (id: string, retired: boolean) => call("set_warmline_item_retired", { id, retired }),
  findResources: (query: string) => call("find_resources", { query }),
  listResources: (withRetired: boolean) => call("list_resources", { with_retired: withRetired }),
  addResource: (input: ResourceInput) => call("add_resource", { input }),
  updateResource: (id: string, input: ResourceInput) => call("update_resource", { id, input }),
  setResourceRetired: (id: string, retired: boolean) => call("set_resource_retired", { id, retired }),
  findCallers: (query: string) => call("find_callers", { query }),
  addCaller: (alias: string) => call("add_caller", { alias }),
  renameCaller: (id: string, alias: string) => call("rename_caller", { id, alias }),
  callerProfile: (id: string) => call("caller_profile", { id }),
  writeWhatHelps: (callerId: string, text: string | null) => call("write_what_helps", { caller_id: callerId, text }),
  addFlag: (callerId: string, text: string, until: string) =>
    call("add_caller_flag", { caller_id: callerId, text, until }),
  removeFlag: (flagId: string) => call("remove_caller_flag", { flag_id: flagId }),
  /** Links a caller to a front-desk person (with the person's consent, given now), or unlinks with `null`. */
  linkPerson: (callerId: string, personId: string | null, consentGiven: boolean) =>
    call("link_caller_person", { caller_id: callerId, person_id: personId, consent_given: consentGiven }),
  start: () => call("start_call"),
  saveOpen: (draft: string) => call("save_open_call", { draft }),
  openCall: () => call("open_call"),
  discardOpen: () => call("discard_open_call"),
  finish: (input: CallInput) => call("finish_call", { input }),
  log: (input: CallInput) => call("log_call", { input }),
  takers: () => call("call_takers"),
  get: (id: string) => call("get_call", { id }),
  update: (id: string, input: CallInput) => call("update_call", { id, input }),
  between: (from: string, to: string) => call("calls_between", { from, to }),
  /** Every call with one caller, newest first. */
  callerCalls: (callerId: string) => call("caller_calls", { caller_id: callerId }),
  openFollowUps: () => call("open_follow_ups"),
  addFollowUp: (callId: string, input: FollowUpInput) => call("add_follow_up", { call_id: callId, input }),
  completeFollowUp: (id: string, note: string | null) => call("complete_follow_up", { id, note }),
  handoff: () => call("shift_handoff"),
  leaveHandoffNote: (note: string) => call("leave_handoff_note", { note }),
  figures: (from: string, to: string) => call("warmline_figures", { from, to }),
  setHold: (on: HoldOn, id: string, reason: string | null) => call("set_warmline_hold", { on, id, reason }),
  noteDays: () => call("warmline_note_days"),
  setNoteDays: (days: number) => call("set_warmline_note_days", { days }),
};

/** How each outcome reads on the form and in the figures. */
export const OUTCOME_LABELS: Record<Outcome, string> = {
  supportive_listening: "Supportive listening",
  information_or_referral: "Information or referral given",
  follow_up_requested: "Follow-up requested",
  transferred_to_crisis_line: "Transferred to 988 or a crisis line",
  emergency_services: "Emergency services called",
};

/** A hand-off to crisis help is always an escalation (as core's `Outcome::escalates`). */
export function escalates(outcome: Outcome | null): boolean {
  return outcome === "transferred_to_crisis_line" || outcome === "emergency_services";
}
