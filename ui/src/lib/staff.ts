// Words for roles and audit events, as admins read them.
import type { AuditEvent } from "./bindings/AuditEvent";
import type { Role } from "./bindings/Role";

export const ROLES: readonly Role[] = ["admin", "coordinator", "front_desk", "facilitator", "warmline"];

export const ROLE_LABEL: Record<Role, string> = {
  admin: "Admin",
  coordinator: "Coordinator",
  front_desk: "Front desk",
  facilitator: "Group facilitator",
  warmline: "Warmline",
};

export const ROLE_HINT: Record<Role, string> = {
  admin: "everything, including staff, settings, exports and the audit log",
  coordinator: "people, figures and visit exports",
  front_desk: "check-in, registration and who is here",
  facilitator: "finding and registering people for groups",
  warmline: "callers only, never the people directory",
};

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
};

/** An event as stored: one a newer desk invented is shown as it is. */
export function eventLabel(event: string): string {
  return event in EVENT_LABEL ? EVENT_LABEL[event as AuditEvent] : event.replaceAll("_", " ");
}

/** "Front desk, Warmline", in the order roles are offered. */
export function rolesLabel(roles: readonly Role[]): string {
  return ROLES.filter((role) => roles.includes(role)).map((role) => ROLE_LABEL[role]).join(", ");
}
