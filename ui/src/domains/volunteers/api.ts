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
  Available,
  Candidate,
  ContactPreference,
  Coverage,
  CredentialAlert,
  CredentialInput,
  HeldCredential,
  Holder,
  HoursInput,
  OneOffInput,
  Shift,
  ShiftRole,
  ShiftTemplate,
  Tally,
  TemplateInput,
  Volunteer,
  VolunteerCatalog,
  VolunteerFigures,
  VolunteerHours,
  VolunteerInput,
  VolunteerSummary,
};

/** The records whose arrival from other desks the volunteer screens reload for. */
export const VOLUNTEER_ENTITIES = [
  "volunteer",
  "volunteer_blackout",
  "volunteer_credential",
  "shift_template",
  "shift_schedule",
  "shift",
  "shift_assignment",
  "volunteer_hours",
  "shift_role",
  "credential_kind",
] as const;

export const volunteersApi = {
  catalog: () => call("volunteer_catalog"),
  addRole: (name: string, warmline: boolean, credentialIds: string[]) =>
    call("add_shift_role", { name, warmline, credential_ids: credentialIds }),
  setRoleRequirements: (roleId: string, credentialIds: string[]) =>
    call("set_role_requirements", { role_id: roleId, credential_ids: credentialIds }),
  addCredentialKind: (name: string) => call("add_credential_kind", { name }),
  setRetired: (id: string, retired: boolean) => call("set_volunteer_item_retired", { id, retired }),
  forGroup: (groupId: string, needed: number) => call("facilitator_shifts_for_group", { group_id: groupId, needed }),
  list: () => call("list_volunteers"),
  get: (id: string) => call("get_volunteer", { id }),
  /** The signed-in account's own volunteer record, if it has one. */
  mine: () => call("my_volunteer_record"),
  save: (personId: string, input: VolunteerInput) => call("save_volunteer", { person_id: personId, input }),
  setActive: (id: string, active: boolean) => call("set_volunteer_active", { id, active }),
  addBlackout: (volunteerId: string, firstDay: string, lastDay: string) =>
    call("add_blackout", { volunteer_id: volunteerId, first_day: firstDay, last_day: lastDay }),
  removeBlackout: (blackoutId: string) => call("remove_blackout", { blackout_id: blackoutId }),
  addCredential: (volunteerId: string, input: CredentialInput) =>
    call("add_credential", { volunteer_id: volunteerId, input }),
  removeCredential: (credentialId: string) => call("remove_credential", { credential_id: credentialId }),
  alerts: () => call("credential_alerts"),
  templates: () => call("list_shift_templates"),
  createTemplate: (input: TemplateInput) => call("create_shift_template", { input }),
  updateTemplate: (id: string, input: TemplateInput) => call("update_shift_template", { id, input }),
  endTemplate: (id: string) => call("end_shift_template", { id }),
  addOneOff: (input: OneOffInput) => call("add_one_off_shift", { input }),
  between: (from: string, to: string) => call("shifts_between", { from, to }),
  gaps: () => call("shift_gaps"),
  shift: (shiftId: string) => call("get_shift", { shift_id: shiftId }),
  cancel: (shiftId: string, reason: string) => call("cancel_shift", { shift_id: shiftId, reason }),
  restore: (shiftId: string) => call("restore_shift", { shift_id: shiftId }),
  candidates: (shiftId: string) => call("shift_candidates", { shift_id: shiftId }),
  assign: (shiftId: string, volunteerId: string) =>
    call("assign_shift", { shift_id: shiftId, volunteer_id: volunteerId }),
  signUp: (shiftId: string, volunteerId: string) =>
    call("sign_up_for_shift", { shift_id: shiftId, volunteer_id: volunteerId }),
  drop: (assignmentId: string) => call("drop_shift", { assignment_id: assignmentId }),
  swap: (assignmentId: string, volunteerId: string) =>
    call("swap_shift", { assignment_id: assignmentId, volunteer_id: volunteerId }),
  clockIn: (assignmentId: string) => call("clock_in", { assignment_id: assignmentId }),
  clockOut: (assignmentId: string) => call("clock_out", { assignment_id: assignmentId }),
  noShow: (assignmentId: string, comment: string) => call("mark_no_show", { assignment_id: assignmentId, comment }),
  confirmDay: (day: string) => call("confirm_shift_day", { day }),
  logHours: (input: HoursInput) => call("log_volunteer_hours", { input }),
  hours: (volunteerId: string, from: string, to: string) =>
    call("volunteer_hours", { volunteer_id: volunteerId, from, to }),
  figures: (from: string, to: string) => call("volunteer_figures", { from, to }),
};
