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
  Call, CallInput, CallKind, CallSummary, CallType, CallerFlag, CallerMatch, CallerProfile, Catalog, Count, FollowUp,
  FollowUpInput, Handoff, HandoffNote, HoldOn, Named, OpenCall, Outcome, Resource, ResourceInput, Topic, WarmlineFigures,
};

/** The records whose arrival from other desks the warmline's screens reload for. */
export const WARMLINE_ENTITIES = [
  "warmline_call", "warmline_caller", "warmline_caller_note", "warmline_caller_flag", "warmline_follow_up",
  "warmline_resource", "warmline_call_type", "warmline_topic", "warmline_handoff_note",
] as const;

export const warmlineApi = {
  catalog: (withRetired: boolean) => call<Catalog>("warmline_catalog", { with_retired: withRetired }),
  addCallType: (name: string, kind: CallKind) => call<CallType>("add_call_type", { name, kind }),
  addTopic: (name: string) => call<Topic>("add_topic", { name }),
  setItemRetired: (id: string, retired: boolean) => call<Catalog>("set_warmline_item_retired", { id, retired }),
  findResources: (query: string) => call<Resource[]>("find_resources", { query }),
  listResources: (withRetired: boolean) => call<Resource[]>("list_resources", { with_retired: withRetired }),
  addResource: (input: ResourceInput) => call<Resource>("add_resource", { input }),
  updateResource: (id: string, input: ResourceInput) => call<Resource>("update_resource", { id, input }),
  setResourceRetired: (id: string, retired: boolean) => call<Resource>("set_resource_retired", { id, retired }),
  findCallers: (query: string) => call<CallerMatch[]>("find_callers", { query }),
  addCaller: (alias: string) => call<CallerMatch>("add_caller", { alias }),
  renameCaller: (id: string, alias: string) => call<null>("rename_caller", { id, alias }),
  callerProfile: (id: string) => call<CallerProfile>("caller_profile", { id }),
  writeWhatHelps: (callerId: string, text: string | null) =>
    call<CallerProfile>("write_what_helps", { caller_id: callerId, text }),
  addFlag: (callerId: string, text: string, until: string) =>
    call<CallerProfile>("add_caller_flag", { caller_id: callerId, text, until }),
  removeFlag: (flagId: string) => call<CallerProfile>("remove_caller_flag", { flag_id: flagId }),
  /** Links a caller to a front-desk person (with the person's consent, given now), or unlinks with `null`. */
  linkPerson: (callerId: string, personId: string | null, consentGiven: boolean) =>
    call<null>("link_caller_person", { caller_id: callerId, person_id: personId, consent_given: consentGiven }),
  start: () => call<OpenCall>("start_call"),
  saveOpen: (draft: string) => call<OpenCall>("save_open_call", { draft }),
  openCall: () => call<OpenCall | null>("open_call"),
  discardOpen: () => call<null>("discard_open_call"),
  finish: (input: CallInput) => call<Call>("finish_call", { input }),
  log: (input: CallInput) => call<Call>("log_call", { input }),
  takers: () => call<Named[]>("call_takers"),
  get: (id: string) => call<Call>("get_call", { id }),
  update: (id: string, input: CallInput) => call<Call>("update_call", { id, input }),
  between: (from: string, to: string) => call<CallSummary[]>("calls_between", { from, to }),
  /** Every call with one caller, newest first. */
  callerCalls: (callerId: string) => call<CallSummary[]>("caller_calls", { caller_id: callerId }),
  openFollowUps: () => call<FollowUp[]>("open_follow_ups"),
  addFollowUp: (callId: string, input: FollowUpInput) => call<FollowUp>("add_follow_up", { call_id: callId, input }),
  completeFollowUp: (id: string, note: string | null) => call<FollowUp>("complete_follow_up", { id, note }),
  handoff: () => call<Handoff>("shift_handoff"),
  leaveHandoffNote: (note: string) => call<HandoffNote>("leave_handoff_note", { note }),
  figures: (from: string, to: string) => call<WarmlineFigures>("warmline_figures", { from, to }),
  setHold: (on: HoldOn, id: string, reason: string | null) => call<null>("set_warmline_hold", { on, id, reason }),
  noteDays: () => call<number>("warmline_note_days"),
  setNoteDays: (days: number) => call<number>("set_warmline_note_days", { days }),
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
