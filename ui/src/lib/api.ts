// The one typed path from the window to the desk: each function invokes one Tauri command.
// Types come from the Rust side (ts-rs), so they cannot drift apart.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { Code } from "./bindings/Code";
import type { CommandError } from "./bindings/CommandError";
import type { DeskInfo } from "./bindings/DeskInfo";
import type { HubConnection } from "./bindings/HubConnection";
import type { Figures } from "./bindings/Figures";
import type { OpenVisit } from "./bindings/OpenVisit";
import type { Person } from "./bindings/Person";
import type { PersonInput } from "./bindings/PersonInput";
import type { PersonMatch } from "./bindings/PersonMatch";
import type { Service } from "./bindings/Service";
import type { Settings } from "./bindings/Settings";
import type { SyncProgress } from "./bindings/SyncProgress";
import type { SyncReport } from "./bindings/SyncReport";
import type { SyncView } from "./bindings/SyncView";
import type { Visit } from "./bindings/Visit";
import type { Account } from "./bindings/Account";
import type { AccountInput } from "./bindings/AccountInput";
import type { Action } from "./bindings/Action";
import type { Consent } from "./bindings/Consent";
import type { ConsentKind } from "./bindings/ConsentKind";
import type { AuditEntry } from "./bindings/AuditEntry";
import type { AuditEvent } from "./bindings/AuditEvent";
import type { AuditQuery } from "./bindings/AuditQuery";
import type { FirstRun } from "./bindings/FirstRun";
import type { Role } from "./bindings/Role";
import type { SessionView } from "./bindings/SessionView";
import type { SignedIn } from "./bindings/SignedIn";
import type { SignInChoice } from "./bindings/SignInChoice";
import type { KeyNeed } from "./bindings/KeyNeed";
import type { RecordsArrived } from "./bindings/RecordsArrived";

export type {
  Account,
  AccountInput,
  Action,
  AuditEntry,
  AuditEvent,
  AuditQuery,
  CommandError,
  Consent,
  ConsentKind,
  FirstRun,
  HubConnection,
  KeyNeed,
  Role,
  SessionView,
  SignedIn,
  SignInChoice,
  DeskInfo,
  Figures,
  OpenVisit,
  Person,
  PersonInput,
  PersonMatch,
  Service,
  Settings,
  SyncProgress,
  SyncReport,
  SyncView,
  Visit,
};

/** A refusal or failure from the desk, with the field it concerns when there is one. */
export class ApiError extends Error {
  readonly error: CommandError;
  constructor(error: CommandError) {
    super(error.message);
    this.error = error;
  }
  /** One of the codes core and the shell answer with: comparing against any other fails to type-check. */
  get code(): Code {
    return this.error.code;
  }
  get field(): string | null {
    return this.error.field;
  }
  /** What else the window needs to act on, by name (`visit_id` and `since` for `already_checked_in`). */
  get detail(): { [key in string]?: string } {
    return this.error.detail;
  }
}

/** Whatever `invoke` rejected with, as an ApiError a person can read. */
export function toApiError(raw: unknown): ApiError {
  if (raw instanceof ApiError) return raw;
  if (raw && typeof raw === "object" && "code" in raw && "message" in raw) {
    const error = raw as Partial<CommandError>;
    return new ApiError({
      code: String(error.code) as Code,
      message: String(error.message),
      field: error.field ?? null,
      detail: error.detail ?? {},
    });
  }
  const message = raw instanceof Error ? raw.message : String(raw);
  return new ApiError({ code: "internal", message, field: null, detail: {} });
}

/** Sent on `window` when the desk says nobody is signed in any more (locked, or the account
 * was turned off or locked at another desk): the app shows the lock screen. */
export const SIGNED_OUT_EVENT = "porchlight:signed-out";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    const err = toApiError(raw);
    if (err.code === "signed_out" || (err.code === "account_locked" && !command.startsWith("sign_in"))) {
      window.dispatchEvent(new CustomEvent(SIGNED_OUT_EVENT));
    }
    throw err;
  }
}

export const api = {
  deskKeyNeed: () => call<KeyNeed | null>("desk_key_need"),
  unlockDesk: (passphrase: string) => call<null>("unlock_desk", { passphrase }),
  chooseDeskPassphrase: (passphrase: string, passphraseAgain: string) =>
    call<null>("choose_desk_passphrase", { passphrase, passphrase_again: passphraseAgain }),
  sessionView: () => call<SessionView>("session_view"),
  firstRun: (input: FirstRun) => call<SessionView>("first_run", { input }),
  signInChoices: () => call<SignInChoice[]>("sign_in_choices"),
  signInWithPin: (accountId: string, pin: string) =>
    call<SessionView>("sign_in_with_pin", { account_id: accountId, pin }),
  signInWithPassword: (accountId: string, password: string) =>
    call<SessionView>("sign_in_with_password", { account_id: accountId, password }),
  lock: () => call<SessionView>("lock"),
  setLockAfter: (minutes: number) => call<SessionView>("set_lock_after", { minutes }),

  listAccounts: () => call<Account[]>("list_accounts"),
  createAccount: (input: AccountInput) => call<Account>("create_account", { input }),
  updateAccount: (id: string, name: string, roles: Role[]) => call<Account>("update_account", { id, name, roles }),
  linkAccountPerson: (id: string, personId: string | null) =>
    call<Account>("link_account_person", { id, person_id: personId }),
  setAccountActive: (id: string, active: boolean) => call<Account>("set_account_active", { id, active }),
  unlockAccount: (id: string) => call<Account>("unlock_account", { id }),
  setAccountPin: (id: string, pin: string) => call<null>("set_account_pin", { id, pin }),
  setAccountPassword: (id: string, password: string) => call<null>("set_account_password", { id, password }),
  browseAudit: (query: AuditQuery) => call<AuditEntry[]>("browse_audit", { query }),

  deskInfo: () => call<DeskInfo>("desk_info"),
  getSettings: () => call<Settings>("get_settings"),
  updateSettings: (input: Settings) => call<Settings>("update_settings", { input }),
  todayFigures: () => call<Figures>("today_figures"),

  searchPeople: (query: string) => call<PersonMatch[]>("search_people", { query }),
  findMember: (code: string) => call<PersonMatch | null>("find_member", { code }),
  getPerson: (id: string) => call<Person>("get_person", { id }),
  registerPerson: (input: PersonInput) => call<Person>("register_person", { input }),
  updatePerson: (id: string, input: PersonInput) => call<Person>("update_person", { id, input }),
  possibleDuplicates: (input: PersonInput, exceptId: string | null) =>
    call<PersonMatch[]>("possible_duplicates", { input, except_id: exceptId }),
  forgetPerson: (id: string) => call<null>("forget_person", { id }),
  personConsent: (personId: string) => call<Consent[]>("person_consent", { person_id: personId }),
  recordConsent: (personId: string, kind: ConsentKind, given: boolean) =>
    call<Consent[]>("record_consent", { person_id: personId, kind, given }),

  checkIn: (personId: string, serviceIds: string[] = []) =>
    call<Visit>("check_in", { person_id: personId, service_ids: serviceIds }),
  checkInAnonymous: (serviceIds: string[] = []) => call<Visit>("check_in_anonymous", { service_ids: serviceIds }),
  checkOut: (visitId: string) => call<Visit>("check_out", { visit_id: visitId }),
  checkOutEveryone: () => call<number>("check_out_everyone"),
  undoCheckIn: (visitId: string) => call<null>("undo_check_in", { visit_id: visitId }),
  setVisitServices: (visitId: string, serviceIds: string[]) =>
    call<Visit>("set_visit_services", { visit_id: visitId, service_ids: serviceIds }),
  hereNow: () => call<OpenVisit[]>("here_now"),

  listServices: (includeRetired: boolean) => call<Service[]>("list_services", { include_retired: includeRetired }),
  addService: (name: string) => call<Service>("add_service", { name }),
  renameService: (id: string, name: string) => call<Service>("rename_service", { id, name }),
  setServiceActive: (id: string, active: boolean) => call<Service>("set_service_active", { id, active }),
  reorderServices: (ids: string[]) => call<Service[]>("reorder_services", { ids }),

  syncView: () => call<SyncView>("sync_view"),
  syncConnect: (connection: HubConnection) => call<SyncView>("sync_connect", { connection }),
  joinCenter: (connection: HubConnection) => call<SyncView>("join_center", { connection }),
  syncDisconnect: () => call<SyncView>("sync_disconnect"),
  syncNow: () => call<SyncReport>("sync_now"),
};

/** Events the desk sends the window (names match src-tauri/src/background_sync.rs). */
export const events = {
  syncChanged: "sync-changed",
  syncProgress: "sync-progress",
  recordsArrived: "records-arrived",
} as const;

/** Whether changes from other desks touched any of `entities` (`person`, `visit`, ...). */
export function touches(arrived: RecordsArrived, entities: readonly string[]): boolean {
  return arrived.entities.some((entity) => entities.includes(entity));
}

/** Calls `reload` whenever changes from other desks alter records of one of `entities`, and only
 * then: a screen reloads for its own records, not for every sync. Resolves to the unlisten. */
export function onRecordsArrived(entities: readonly string[], reload: () => void): Promise<UnlistenFn> {
  return listen<RecordsArrived>(events.recordsArrived, (event) => {
    if (touches(event.payload, entities)) reload();
  });
}
