// Written by `cargo test` from src-tauri's `commands!` declarations and core's record types: do not edit.
import type { Account } from "./Account";
import type { AccountInput } from "./AccountInput";
import type { AttendanceState } from "./AttendanceState";
import type { AuditEntry } from "./AuditEntry";
import type { AuditQuery } from "./AuditQuery";
import type { Backups } from "./Backups";
import type { Call } from "./Call";
import type { CallInput } from "./CallInput";
import type { CallKind } from "./CallKind";
import type { CallSummary } from "./CallSummary";
import type { CallType } from "./CallType";
import type { CallerMatch } from "./CallerMatch";
import type { CallerProfile } from "./CallerProfile";
import type { Candidate } from "./Candidate";
import type { Catalog } from "./Catalog";
import type { CenterDesk } from "./CenterDesk";
import type { Comparison } from "./Comparison";
import type { Consent } from "./Consent";
import type { ConsentKind } from "./ConsentKind";
import type { CredentialAlert } from "./CredentialAlert";
import type { CredentialInput } from "./CredentialInput";
import type { DeskInfo } from "./DeskInfo";
import type { Facilitator } from "./Facilitator";
import type { Figures } from "./Figures";
import type { FileOptions } from "./FileOptions";
import type { FirstRun } from "./FirstRun";
import type { FollowUp } from "./FollowUp";
import type { FollowUpInput } from "./FollowUpInput";
import type { Group } from "./Group";
import type { GroupAttended } from "./GroupAttended";
import type { GroupFigures } from "./GroupFigures";
import type { GroupInput } from "./GroupInput";
import type { GroupSession } from "./GroupSession";
import type { GroupStatus } from "./GroupStatus";
import type { Handoff } from "./Handoff";
import type { HandoffNote } from "./HandoffNote";
import type { HeldCredential } from "./HeldCredential";
import type { HoldOn } from "./HoldOn";
import type { HoursInput } from "./HoursInput";
import type { HubConnection } from "./HubConnection";
import type { KeyNeed } from "./KeyNeed";
import type { Named } from "./Named";
import type { OneOffInput } from "./OneOffInput";
import type { OpenCall } from "./OpenCall";
import type { OpenVisit } from "./OpenVisit";
import type { Period } from "./Period";
import type { Person } from "./Person";
import type { PersonInput } from "./PersonInput";
import type { PersonMatch } from "./PersonMatch";
import type { Preset } from "./Preset";
import type { ReportSettings } from "./ReportSettings";
import type { Resource } from "./Resource";
import type { ResourceInput } from "./ResourceInput";
import type { Role } from "./Role";
import type { Roster } from "./Roster";
import type { SamePersonOverview } from "./SamePersonOverview";
import type { Schedule } from "./Schedule";
import type { Service } from "./Service";
import type { SessionMove } from "./SessionMove";
import type { SessionView } from "./SessionView";
import type { Settings } from "./Settings";
import type { Shift } from "./Shift";
import type { ShiftTemplate } from "./ShiftTemplate";
import type { SignInChoice } from "./SignInChoice";
import type { SyncReport } from "./SyncReport";
import type { SyncView } from "./SyncView";
import type { TemplateInput } from "./TemplateInput";
import type { Topic } from "./Topic";
import type { Visit } from "./Visit";
import type { Volunteer } from "./Volunteer";
import type { VolunteerCatalog } from "./VolunteerCatalog";
import type { VolunteerFigures } from "./VolunteerFigures";
import type { VolunteerHours } from "./VolunteerHours";
import type { VolunteerInput } from "./VolunteerInput";
import type { VolunteerSummary } from "./VolunteerSummary";
import type { WarmlineFigures } from "./WarmlineFigures";

/** Every command the window may invoke: its arguments, and what it returns. */
export interface Commands {
  add_blackout: { args: { volunteer_id: string; first_day: string; last_day: string }; result: Volunteer };
  add_call_type: { args: { name: string; kind: CallKind }; result: CallType };
  add_caller: { args: { alias: string }; result: CallerMatch };
  add_caller_flag: { args: { caller_id: string; text: string; until: string }; result: CallerProfile };
  add_credential: { args: { volunteer_id: string; input: CredentialInput }; result: Array<HeldCredential> };
  add_credential_kind: { args: { name: string }; result: VolunteerCatalog };
  add_follow_up: { args: { call_id: string; input: FollowUpInput }; result: FollowUp };
  add_one_off_shift: { args: { input: OneOffInput }; result: ShiftTemplate };
  add_resource: { args: { input: ResourceInput }; result: Resource };
  add_service: { args: { name: string }; result: Service };
  add_shift_role: { args: { name: string; warmline: boolean; credential_ids: Array<string> }; result: VolunteerCatalog };
  add_topic: { args: { name: string }; result: Topic };
  assign_shift: { args: { shift_id: string; volunteer_id: string }; result: Shift };
  backups_back_up_now: { args: null; result: Backups };
  backups_choose_folder: { args: { folder: string | null }; result: Backups };
  backups_kept: { args: null; result: Backups };
  backups_restore: { args: { path: string }; result: Backups };
  browse_audit: { args: { query: AuditQuery }; result: Array<AuditEntry> };
  call_takers: { args: null; result: Array<Named> };
  caller_calls: { args: { caller_id: string }; result: Array<CallSummary> };
  caller_profile: { args: { id: string }; result: CallerProfile };
  calls_between: { args: { from: string; to: string }; result: Array<CallSummary> };
  cancel_session: { args: { session_id: string; reason: string }; result: GroupSession };
  cancel_shift: { args: { shift_id: string; reason: string }; result: Shift };
  center_report: { args: { from: string; to: string }; result: Comparison };
  check_in: { args: { person_id: string; service_ids: Array<string> }; result: Visit };
  check_in_anonymous: { args: { service_ids: Array<string> }; result: Visit };
  check_out: { args: { visit_id: string }; result: Visit };
  check_out_everyone: { args: null; result: number };
  choose_desk_passphrase: { args: { passphrase: string; passphrase_again: string }; result: null };
  choose_folder: { args: { title: string; start: string | null }; result: string | null };
  clock_in: { args: { assignment_id: string }; result: Shift };
  clock_out: { args: { assignment_id: string }; result: Shift };
  complete_follow_up: { args: { id: string; note: string | null }; result: FollowUp };
  confirm_shift_day: { args: { day: string }; result: number };
  create_account: { args: { input: AccountInput }; result: Account };
  create_group: { args: { input: GroupInput; schedule: Schedule | null }; result: Group };
  create_shift_template: { args: { input: TemplateInput }; result: ShiftTemplate };
  credential_alerts: { args: null; result: Array<CredentialAlert> };
  default_report_folder: { args: null; result: string };
  desk_info: { args: null; result: DeskInfo };
  desk_key_need: { args: null; result: KeyNeed | null };
  discard_open_call: { args: null; result: null };
  drop_shift: { args: { assignment_id: string }; result: Shift };
  end_shift_template: { args: { id: string }; result: ShiftTemplate };
  facilitator_choices: { args: null; result: Array<Facilitator> };
  facilitator_shifts_for_group: { args: { group_id: string; needed: number }; result: ShiftTemplate };
  find_callers: { args: { query: string }; result: Array<CallerMatch> };
  find_member: { args: { code: string }; result: PersonMatch | null };
  find_resources: { args: { query: string }; result: Array<Resource> };
  finish_call: { args: { input: CallInput }; result: Call };
  first_run: { args: { input: FirstRun }; result: SessionView };
  forget_person: { args: { id: string }; result: null };
  get_call: { args: { id: string }; result: Call };
  get_person: { args: { id: string }; result: Person };
  get_settings: { args: null; result: Settings };
  get_shift: { args: { shift_id: string }; result: Shift };
  get_volunteer: { args: { id: string }; result: Volunteer };
  group_figures: { args: { from: string; to: string }; result: Array<GroupFigures> };
  groups_of_person: { args: { person_id: string }; result: Array<GroupAttended> };
  here_now: { args: null; result: Array<OpenVisit> };
  join_center: { args: { connection: HubConnection }; result: SyncView };
  keep_people_apart: { args: { person_id: string; other_id: string }; result: SamePersonOverview };
  leave_handoff_note: { args: { note: string }; result: HandoffNote };
  link_account_person: { args: { id: string; person_id: string | null }; result: Account };
  link_caller_person: { args: { caller_id: string; person_id: string | null; consent_given: boolean }; result: null };
  link_people: { args: { person_id: string; other_id: string }; result: SamePersonOverview };
  list_accounts: { args: null; result: Array<Account> };
  list_groups: { args: null; result: Array<Group> };
  list_resources: { args: { with_retired: boolean }; result: Array<Resource> };
  list_services: { args: { include_retired: boolean }; result: Array<Service> };
  list_shift_templates: { args: null; result: Array<ShiftTemplate> };
  list_volunteers: { args: null; result: Array<VolunteerSummary> };
  lock: { args: null; result: SessionView };
  log_call: { args: { input: CallInput }; result: Call };
  log_volunteer_hours: { args: { input: HoursInput }; result: VolunteerHours };
  mark_attendance: { args: { session_id: string; person_id: string; state: AttendanceState }; result: GroupSession };
  mark_no_show: { args: { assignment_id: string; comment: string }; result: Shift };
  move_session: { args: { session_id: string; to: SessionMove }; result: GroupSession };
  my_volunteer_record: { args: null; result: Volunteer | null };
  open_call: { args: null; result: OpenCall | null };
  open_follow_ups: { args: null; result: Array<FollowUp> };
  person_consent: { args: { person_id: string }; result: Array<Consent> };
  possible_duplicates: { args: { input: PersonInput; except_id: string | null }; result: Array<PersonMatch> };
  record_consent: { args: { person_id: string; kind: ConsentKind; given: boolean }; result: Array<Consent> };
  register_person: { args: { input: PersonInput }; result: Person };
  remove_blackout: { args: { blackout_id: string }; result: Volunteer };
  remove_caller_flag: { args: { flag_id: string }; result: CallerProfile };
  remove_credential: { args: { credential_id: string }; result: Array<HeldCredential> };
  rename_caller: { args: { id: string; alias: string }; result: null };
  rename_service: { args: { id: string; name: string }; result: Service };
  reorder_services: { args: { ids: Array<string> }; result: Array<Service> };
  report_period: { args: { preset: Preset }; result: Period };
  report_settings: { args: null; result: ReportSettings };
  restore_session: { args: { session_id: string }; result: GroupSession };
  restore_shift: { args: { shift_id: string }; result: Shift };
  same_person_overview: { args: null; result: SamePersonOverview };
  save_open_call: { args: { draft: string }; result: OpenCall };
  save_report: { args: { from: string; to: string; options: FileOptions; folder: string }; result: string };
  save_volunteer: { args: { person_id: string; input: VolunteerInput }; result: Volunteer };
  search_people: { args: { query: string }; result: Array<PersonMatch> };
  session_activity: { args: null; result: null };
  session_roster: { args: { session_id: string }; result: Roster };
  session_view: { args: null; result: SessionView };
  sessions_between: { args: { from: string; to: string }; result: Array<GroupSession> };
  set_account_active: { args: { id: string; active: boolean }; result: Account };
  set_account_password: { args: { id: string; password: string }; result: null };
  set_account_pin: { args: { id: string; pin: string }; result: null };
  set_group_schedule: { args: { id: string; schedule: Schedule }; result: Group };
  set_group_status: { args: { id: string; status: GroupStatus }; result: Group };
  set_headcount: { args: { session_id: string; count: number | null }; result: GroupSession };
  set_lock_after: { args: { minutes: number }; result: SessionView };
  set_report_settings: { args: { input: ReportSettings }; result: ReportSettings };
  set_resource_retired: { args: { id: string; retired: boolean }; result: Resource };
  set_role_requirements: { args: { role_id: string; credential_ids: Array<string> }; result: VolunteerCatalog };
  set_service_active: { args: { id: string; active: boolean }; result: Service };
  set_session_notes: { args: { session_id: string; topic: string | null; note: string | null }; result: GroupSession };
  set_session_substitute: { args: { session_id: string; account_id: string | null }; result: GroupSession };
  set_visit_services: { args: { visit_id: string; service_ids: Array<string> }; result: Visit };
  set_volunteer_active: { args: { id: string; active: boolean }; result: Volunteer };
  set_volunteer_item_retired: { args: { id: string; retired: boolean }; result: VolunteerCatalog };
  set_warmline_hold: { args: { on: HoldOn; id: string; reason: string | null }; result: null };
  set_warmline_item_retired: { args: { id: string; retired: boolean }; result: Catalog };
  set_warmline_note_days: { args: { days: number }; result: number };
  shift_candidates: { args: { shift_id: string }; result: Array<Candidate> };
  shift_gaps: { args: null; result: Array<Shift> };
  shift_handoff: { args: null; result: Handoff };
  shifts_between: { args: { from: string; to: string }; result: Array<Shift> };
  sign_in_choices: { args: null; result: Array<SignInChoice> };
  sign_in_with_password: { args: { account_id: string; password: string }; result: SessionView };
  sign_in_with_pin: { args: { account_id: string; pin: string }; result: SessionView };
  sign_up_for_shift: { args: { shift_id: string; volunteer_id: string }; result: Shift };
  start_call: { args: null; result: OpenCall };
  swap_shift: { args: { assignment_id: string; volunteer_id: string }; result: Shift };
  sync_accept_hub_time: { args: null; result: SyncView };
  sync_center_desks: { args: null; result: Array<CenterDesk> };
  sync_connect: { args: { connection: HubConnection }; result: SyncView };
  sync_disconnect: { args: null; result: SyncView };
  sync_let_desk_in: { args: { request_id: string }; result: SyncView };
  sync_now: { args: null; result: SyncReport };
  sync_recover_center_key: { args: { words: string }; result: SyncView };
  sync_recovery_sheet: { args: null; result: Array<string> | null };
  sync_recovery_sheet_written_down: { args: null; result: SyncView };
  sync_revoke_desk: { args: { device_id: string; change_key: boolean }; result: SyncView };
  sync_trust_computer_clock: { args: null; result: SyncView };
  sync_view: { args: null; result: SyncView };
  today_figures: { args: null; result: Figures };
  undo_check_in: { args: { visit_id: string }; result: null };
  undo_check_out: { args: { visit_id: string }; result: Visit };
  unlock_account: { args: { id: string }; result: Account };
  unlock_desk: { args: { passphrase: string }; result: null };
  upcoming_sessions: { args: null; result: Array<GroupSession> };
  update_account: { args: { id: string; name: string; roles: Array<Role> }; result: Account };
  update_call: { args: { id: string; input: CallInput }; result: Call };
  update_group: { args: { id: string; input: GroupInput }; result: Group };
  update_person: { args: { id: string; input: PersonInput }; result: Person };
  update_resource: { args: { id: string; input: ResourceInput }; result: Resource };
  update_settings: { args: { input: Settings }; result: Settings };
  update_shift_template: { args: { id: string; input: TemplateInput }; result: ShiftTemplate };
  volunteer_catalog: { args: null; result: VolunteerCatalog };
  volunteer_figures: { args: { from: string; to: string }; result: VolunteerFigures };
  volunteer_hours: { args: { volunteer_id: string; from: string; to: string }; result: VolunteerHours };
  warmline_catalog: { args: { with_retired: boolean }; result: Catalog };
  warmline_figures: { args: { from: string; to: string }; result: WarmlineFigures };
  warmline_note_days: { args: null; result: number };
  write_what_helps: { args: { caller_id: string; text: string | null }; result: CallerProfile };
}

/** The record types desks sync: what arrives from other desks is named by these. */
export type EntityName =
  | "person"
  | "person_link"
  | "visit"
  | "service"
  | "settings"
  | "account"
  | "audit"
  | "consent"
  | "group"
  | "group_schedule"
  | "group_session"
  | "attendance"
  | "warmline_call_type"
  | "warmline_topic"
  | "warmline_resource"
  | "warmline_caller"
  | "warmline_caller_note"
  | "warmline_caller_flag"
  | "warmline_call"
  | "warmline_follow_up"
  | "warmline_handoff_note"
  | "shift_role"
  | "credential_kind"
  | "volunteer"
  | "volunteer_blackout"
  | "volunteer_credential"
  | "shift_template"
  | "shift_schedule"
  | "shift"
  | "shift_assignment"
  | "volunteer_hours"
  | "desk_key";
