// Words for audit events, as admins read them.
import type { AuditEvent } from "../../lib/bindings/AuditEvent";

export const EVENT_LABEL: Record<AuditEvent, string> = {
  signed_in: "Signed in",
  sign_in_failed: "Sign-in failed",
  account_locked: "Account locked",
  account_unlocked: "Account unlocked",
  account_created: "Account created",
  account_changed: "Account changed",
  account_turned_off: "Account turned off",
  account_turned_on: "Account turned on",
  pin_changed: "PIN changed",
  password_changed: "Password changed",
  consent_recorded: "Consent recorded",
  person_viewed: "Person's record viewed",
  person_registered: "Person registered",
  person_edited: "Person's record edited",
  people_exported: "People exported",
  visits_exported: "Visits exported",
  people_imported: "People imported",
  backup_made: "Backup made",
  sync_connected: "Connected to a hub",
  sync_disconnected: "Disconnected from the hub",
  settings_changed: "Settings changed",
  person_forgotten: "Person forgotten",
  group_changed: "Group changed",
  session_changed: "Session changed",
  roster_viewed: "Group roster viewed",
  attendance_marked: "Attendance marked",
  groups_exported: "Groups exported",
  call_edited: "Call edited",
  call_notes_viewed: "Call notes opened",
  caller_profile_viewed: "Caller profile opened",
  caller_linked: "Caller linked to a person",
  warmline_changed: "Warmline lists changed",
  warmline_record_held: "Legal hold changed",
  warmline_notes_erased: "Old warmline notes erased",
  warmline_exported: "Warmline exported",
  volunteer_changed: "Volunteer changed",
  credential_changed: "Credential recorded or removed",
  shifts_changed: "Shifts changed",
  shift_assigned: "Shift assigned",
  shift_released: "Shift dropped",
  shift_attendance: "Shift attendance",
  hours_logged: "Volunteer hours logged",
  volunteers_exported: "Volunteers exported",
};

/** An event as stored: one a newer desk invented is shown as it is. */
export function eventLabel(event: string): string {
  return event in EVENT_LABEL ? EVENT_LABEL[event as AuditEvent] : event.replaceAll("_", " ");
}
