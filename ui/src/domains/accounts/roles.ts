// Words for roles, as admins read them.
import type { Role } from "../../lib/bindings/Role";

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

/** "Front desk, Warmline", in the order roles are offered. */
export function rolesLabel(roles: readonly Role[]): string {
  return ROLES.filter((role) => roles.includes(role))
    .map((role) => ROLE_LABEL[role])
    .join(", ");
}
