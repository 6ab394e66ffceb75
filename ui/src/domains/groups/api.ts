// What the groups domain asks of the desk: each a command of src-tauri/src/commands/groups.rs.
import { call } from "../../lib/api";
import type { AttendanceState } from "../../lib/bindings/AttendanceState";
import type { Facilitator } from "../../lib/bindings/Facilitator";
import type { Group } from "../../lib/bindings/Group";
import type { GroupAttended } from "../../lib/bindings/GroupAttended";
import type { GroupFigures } from "../../lib/bindings/GroupFigures";
import type { GroupInput } from "../../lib/bindings/GroupInput";
import type { GroupSession } from "../../lib/bindings/GroupSession";
import type { GroupStatus } from "../../lib/bindings/GroupStatus";
import type { Roster } from "../../lib/bindings/Roster";
import type { Schedule } from "../../lib/bindings/Schedule";
import type { SessionMove } from "../../lib/bindings/SessionMove";

export type {
  AttendanceState,
  Facilitator,
  Group,
  GroupAttended,
  GroupFigures,
  GroupInput,
  GroupSession,
  GroupStatus,
  Roster,
  Schedule,
  SessionMove,
};

export const groupsApi = {
  list: () => call("list_groups"),
  create: (input: GroupInput, schedule: Schedule | null) => call("create_group", { input, schedule }),
  update: (id: string, input: GroupInput) => call("update_group", { id, input }),
  setStatus: (id: string, status: GroupStatus) => call("set_group_status", { id, status }),
  setSchedule: (id: string, schedule: Schedule) => call("set_group_schedule", { id, schedule }),
  facilitatorChoices: () => call("facilitator_choices"),
  upcoming: () => call("upcoming_sessions"),
  between: (from: string, to: string) => call("sessions_between", { from, to }),
  cancel: (sessionId: string, reason: string) => call("cancel_session", { session_id: sessionId, reason }),
  restore: (sessionId: string) => call("restore_session", { session_id: sessionId }),
  move: (sessionId: string, to: SessionMove) => call("move_session", { session_id: sessionId, to }),
  setSubstitute: (sessionId: string, accountId: string | null) =>
    call("set_session_substitute", { session_id: sessionId, account_id: accountId }),
  roster: (sessionId: string) => call("session_roster", { session_id: sessionId }),
  mark: (sessionId: string, personId: string, state: AttendanceState) =>
    call("mark_attendance", { session_id: sessionId, person_id: personId, state }),
  setHeadcount: (sessionId: string, count: number | null) => call("set_headcount", { session_id: sessionId, count }),
  setNotes: (sessionId: string, topic: string | null, note: string | null) =>
    call("set_session_notes", { session_id: sessionId, topic, note }),
  groupsOfPerson: (personId: string) => call("groups_of_person", { person_id: personId }),
  figures: (from: string, to: string) => call("group_figures", { from, to }),
};
