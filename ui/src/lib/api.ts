// The one typed path from the window to the desk: each function invokes one Tauri command.
// Types come from the Rust side (ts-rs), so they cannot drift apart.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { Code } from "./bindings/Code";
import type { Commands, EntityName } from "./bindings/Commands";
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

/** Runs `work`, which calls the desk, and hands what it was refused or failed with to `failed`
 * as an ApiError instead of throwing it: the one place a screen's call turns into a sentence it
 * can show. True when `work` went through. */
export async function attempt(work: () => Promise<unknown>, failed: (err: ApiError) => unknown): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (raw) {
    await failed(toApiError(raw));
    return false;
  }
}

/** The refusal as `{ [field]: message }` when it concerns one of `fields`, to show beside it;
 * `null` when it concerns none of them (then it belongs in the form's general problem line). */
export function besideField<F extends string>(err: ApiError, fields: readonly F[]): Partial<Record<F, string>> | null {
  const field = fields.find((candidate) => candidate === err.field);
  return field ? ({ [field]: err.message } as Partial<Record<F, string>>) : null;
}

/** Sent on `window` when the desk says nobody is signed in any more (locked, or the account
 * was turned off or locked at another desk): the app shows the lock screen. */
export const SIGNED_OUT_EVENT = "porchlight:signed-out";

/** Calls a command of the shell; what it rejects with is an ApiError, and a signed-out answer
 * tells the app to show the lock screen. */
export async function call<K extends keyof Commands>(
  command: K,
  ...args: Commands[K]["args"] extends null ? [] : [Commands[K]["args"]]
): Promise<Commands[K]["result"]> {
  try {
    return await invoke<Commands[K]["result"]>(command, args[0] ?? undefined);
  } catch (raw) {
    const err = toApiError(raw);
    if (err.code === "signed_out" || (err.code === "account_locked" && !command.startsWith("sign_in"))) {
      window.dispatchEvent(new CustomEvent(SIGNED_OUT_EVENT));
    }
    throw err;
  }
}

/** What the app itself asks of the desk: its key, who is signed in, first-run setup, its
 * own information. Each domain's calls are in `domains/<name>/api.ts`. */
export const api = {
  deskKeyNeed: () => call("desk_key_need"),
  unlockDesk: (passphrase: string) => call("unlock_desk", { passphrase }),
  chooseDeskPassphrase: (passphrase: string, passphraseAgain: string) =>
    call("choose_desk_passphrase", { passphrase, passphrase_again: passphraseAgain }),
  sessionView: () => call("session_view"),
  firstRun: (input: FirstRun) => call("first_run", { input }),
  signInChoices: () => call("sign_in_choices"),
  signInWithPin: (accountId: string, pin: string) => call("sign_in_with_pin", { account_id: accountId, pin }),
  signInWithPassword: (accountId: string, password: string) =>
    call("sign_in_with_password", { account_id: accountId, password }),
  lock: () => call("lock"),
  sessionActivity: () => call("session_activity"),
  deskInfo: () => call("desk_info"),
};

/** Events the desk sends the window (names match src-tauri/src/background_sync.rs). */
export const events = {
  syncChanged: "sync-changed",
  syncProgress: "sync-progress",
  recordsArrived: "records-arrived",
} as const;

/** Whether changes from other desks touched any of `entities` (`person`, `visit`, ...). */
export function touches(arrived: RecordsArrived, entities: readonly EntityName[]): boolean {
  return arrived.entities.some((entity) => (entities as readonly string[]).includes(entity));
}

/** Calls `reload` whenever changes from other desks alter records of one of `entities`, and only
 * then: a screen reloads for its own records, not for every sync. Resolves to the unlisten. */
export function onRecordsArrived(entities: readonly EntityName[], reload: () => void): Promise<UnlistenFn> {
  return listen<RecordsArrived>(events.recordsArrived, (event) => {
    if (touches(event.payload, entities)) reload();
  });
}
