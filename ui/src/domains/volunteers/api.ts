// What volunteer scheduling asks of the desk: each a command of src-tauri/src/commands/volunteers.rs.
import { call } from "../../lib/api";
import type { Available } from "../../lib/bindings/Available";
import type { Candidate } from "../../lib/bindings/Candidate";
import type { ContactPreference } from "../../lib/bindings/ContactPreference";
import type { Coverage } from "../../lib/bindings/Coverage";
import type { CredentialAlert } from "../../lib/bindings/CredentialAlert";
import type { CredentialInput } from "../../lib/bindings/CredentialInput";
import type { HeldCredential } from "../../lib/bindings/HeldCredential";
import type { Holder } from "../../lib/bindings/Holder";
import type { HoursInput } from "../../lib/bindings/HoursInput";
import type { OneOffInput } from "../../lib/bindings/OneOffInput";
import type { Shift } from "../../lib/bindings/Shift";
import type { ShiftRole } from "../../lib/bindings/ShiftRole";
import type { ShiftTemplate } from "../../lib/bindings/ShiftTemplate";
import type { Tally } from "../../lib/bindings/Tally";
import type { TemplateInput } from "../../lib/bindings/TemplateInput";
import type { Volunteer } from "../../lib/bindings/Volunteer";
import type { VolunteerCatalog } from "../../lib/bindings/VolunteerCatalog";
import type { VolunteerFigures } from "../../lib/bindings/VolunteerFigures";
import type { VolunteerHours } from "../../lib/bindings/VolunteerHours";
import type { VolunteerInput } from "../../lib/bindings/VolunteerInput";
import type { VolunteerSummary } from "../../lib/bindings/VolunteerSummary";

export type {
  Available, Candidate, ContactPreference, Coverage, CredentialAlert, CredentialInput, HeldCredential, Holder, HoursInput,
  OneOffInput, Shift, ShiftRole, ShiftTemplate, Tally, TemplateInput, Volunteer, VolunteerCatalog, VolunteerFigures,
  VolunteerHours, VolunteerInput, VolunteerSummary,
};

/** The records whose arrival from other desks the volunteer screens reload for. */
export const VOLUNTEER_ENTITIES = [
  "volunteer", "volunteer_blackout", "volunteer_credential", "shift_template", "shift_schedule", "shift",
  "shift_assignment", "volunteer_hours", "shift_role", "credential_kind",
] as const;

export const volunteersApi = {
  catalog: () => call<VolunteerCatalog>("volunteer_catalog"),
  addRole: (name: string, warmline: boolean, credentialIds: string[]) =>
    call<VolunteerCatalog>("add_shift_role", { name, warmline, credential_ids: credentialIds }),
  setRoleRequirements: (roleId: string, credentialIds: string[]) =>
    call<VolunteerCatalog>("set_role_requirements", { role_id: roleId, credential_ids: credentialIds }),
  addCredentialKind: (name: string) => call<VolunteerCatalog>("add_credential_kind", { name }),
  setRetired: (id: string, retired: boolean) => call<VolunteerCatalog>("set_volunteer_item_retired", { id, retired }),
  forGroup: (groupId: string, needed: number) =>
    call<ShiftTemplate>("facilitator_shifts_for_group", { group_id: groupId, needed }),
  list: () => call<VolunteerSummary[]>("list_volunteers"),
  get: (id: string) => call<Volunteer>("get_volunteer", { id }),
  /** The signed-in account's own volunteer record, if it has one. */
  mine: () => call<Volunteer | null>("my_volunteer_record"),
  save: (personId: string, input: VolunteerInput) => call<Volunteer>("save_volunteer", { person_id: personId, input }),
  setActive: (id: string, active: boolean) => call<Volunteer>("set_volunteer_active", { id, active }),
  addBlackout: (volunteerId: string, firstDay: string, lastDay: string) =>
    call<Volunteer>("add_blackout", { volunteer_id: volunteerId, first_day: firstDay, last_day: lastDay }),
  removeBlackout: (blackoutId: string) => call<Volunteer>("remove_blackout", { blackout_id: blackoutId }),
  addCredential: (volunteerId: string, input: CredentialInput) =>
    call<HeldCredential[]>("add_credential", { volunteer_id: volunteerId, input }),
  removeCredential: (credentialId: string) => call<HeldCredential[]>("remove_credential", { credential_id: credentialId }),
  alerts: () => call<CredentialAlert[]>("credential_alerts"),
  templates: () => call<ShiftTemplate[]>("list_shift_templates"),
  createTemplate: (input: TemplateInput) => call<ShiftTemplate>("create_shift_template", { input }),
  updateTemplate: (id: string, input: TemplateInput) => call<ShiftTemplate>("update_shift_template", { id, input }),
  endTemplate: (id: string) => call<ShiftTemplate>("end_shift_template", { id }),
  addOneOff: (input: OneOffInput) => call<ShiftTemplate>("add_one_off_shift", { input }),
  between: (from: string, to: string) => call<Shift[]>("shifts_between", { from, to }),
  gaps: () => call<Shift[]>("shift_gaps"),
  shift: (shiftId: string) => call<Shift>("get_shift", { shift_id: shiftId }),
  cancel: (shiftId: string, reason: string) => call<Shift>("cancel_shift", { shift_id: shiftId, reason }),
  restore: (shiftId: string) => call<Shift>("restore_shift", { shift_id: shiftId }),
  candidates: (shiftId: string) => call<Candidate[]>("shift_candidates", { shift_id: shiftId }),
  assign: (shiftId: string, volunteerId: string) =>
    call<Shift>("assign_shift", { shift_id: shiftId, volunteer_id: volunteerId }),
  signUp: (shiftId: string, volunteerId: string) =>
    call<Shift>("sign_up_for_shift", { shift_id: shiftId, volunteer_id: volunteerId }),
  drop: (assignmentId: string) => call<Shift>("drop_shift", { assignment_id: assignmentId }),
  swap: (assignmentId: string, volunteerId: string) =>
    call<Shift>("swap_shift", { assignment_id: assignmentId, volunteer_id: volunteerId }),
  clockIn: (assignmentId: string) => call<Shift>("clock_in", { assignment_id: assignmentId }),
  clockOut: (assignmentId: string) => call<Shift>("clock_out", { assignment_id: assignmentId }),
  noShow: (assignmentId: string, comment: string) => call<Shift>("mark_no_show", { assignment_id: assignmentId, comment }),
  confirmDay: (day: string) => call<number>("confirm_shift_day", { day }),
  logHours: (input: HoursInput) => call<VolunteerHours>("log_volunteer_hours", { input }),
  hours: (volunteerId: string, from: string, to: string) =>
    call<VolunteerHours>("volunteer_hours", { volunteer_id: volunteerId, from, to }),
  figures: (from: string, to: string) => call<VolunteerFigures>("volunteer_figures", { from, to }),
};
