// The screens a signed-in person moves between, in one table: the navigation, the Alt-key
// shortcuts and the page itself all read it. A new capability adds its line here. The order is
// each role's first screen too: someone signing in lands on the first one their roles open
// (the front desk on check-in, a coordinator on coverage, a facilitator on their sessions, a
// warmline volunteer on the line): see LANDING.
import type { Component } from "svelte";
import type { Action, DeskInfo, SessionView, SignedIn } from "../lib/api";
import AuditLog from "./admin/AuditLog.svelte";
import Staff from "./admin/Staff.svelte";
import FrontDesk from "./front-desk/FrontDesk.svelte";
import Groups from "./groups/Groups.svelte";
import MyShifts from "./volunteers/MyShifts.svelte";
import Reports from "./reports/Reports.svelte";
import Volunteers from "./volunteers/Volunteers.svelte";
import Warmline from "./warmline/Warmline.svelte";
import SettingsScreen from "./settings/Settings.svelte";

/** What the app hands a screen: the desk, who is signed in, and how to tell the app of changes. */
export interface ScreenContext {
  info: DeskInfo;
  session: SessionView;
  signedIn: SignedIn;
  /** Which part of Settings to put focus on (the sync indicator opens the sync part). */
  settingsFocus: "center" | "sync";
  refreshInfo: () => void;
  sessionChanged: (view: SessionView) => void;
}

export interface Screen {
  id: string;
  label: string;
  /** Alt and this key open the screen. */
  key: string;
  /** What the signed-in account's roles must allow for the screen to be offered. */
  action: Action;
  /** Offered only to an account that is a volunteer's. */
  volunteersOnly?: boolean;
  // The pair `screen()` checked, seen as one type once it is in the table.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  component: Component<any>;
  props: (context: ScreenContext) => Record<string, unknown>;
}

/** A screen's line, its props checked against its component's: a prop misnamed, missing or of
 * the wrong type fails the type check here, not at mount. */
function screen<P extends object, const Id extends string>(
  line: Omit<Screen, "id" | "component" | "props"> & {
    id: Id;
    component: Component<P>;
    props: (context: ScreenContext) => NoInfer<P>;
  },
): Screen & { id: Id } {
  return line as unknown as Screen & { id: Id };
}

export const SCREENS = [
  screen({
    id: "front-desk",
    label: "Front desk",
    key: "1",
    action: "check_in",
    component: FrontDesk,
    props: ({ info, signedIn }) => ({
      timeZone: info.settings.time_zone,
      canForget: signedIn.roles.includes("admin"),
      canClockVolunteers: signedIn.allowed.includes("clock_shifts") && signedIn.allowed.includes("see_shifts"),
    }),
  }),
  screen({
    id: "groups",
    label: "Groups",
    key: "2",
    action: "see_sessions",
    component: Groups,
    props: ({ info, signedIn }) => ({ timeZone: info.settings.time_zone, allowed: signedIn.allowed }),
  }),
  screen({
    id: "warmline",
    label: "Warmline",
    key: "3",
    action: "take_calls",
    component: Warmline,
    props: ({ info, signedIn }) => ({
      timeZone: info.settings.time_zone,
      allowed: signedIn.allowed,
      ownAccountId: signedIn.account_id,
    }),
  }),
  screen({
    id: "volunteers",
    label: "Volunteers",
    key: "4",
    action: "manage_volunteers",
    component: Volunteers,
    props: ({ info, signedIn }) => ({ timeZone: info.settings.time_zone, allowed: signedIn.allowed }),
  }),
  screen({
    id: "reports",
    label: "Reports",
    key: "5",
    action: "run_reports",
    component: Reports,
    props: ({ info, signedIn }) => ({ timeZone: info.settings.time_zone, allowed: signedIn.allowed }),
  }),
  screen({
    id: "my-shifts",
    label: "My shifts",
    key: "6",
    action: "sign_up_for_shifts",
    volunteersOnly: true,
    component: MyShifts,
    props: ({ info, signedIn }) => ({ timeZone: info.settings.time_zone, allowed: signedIn.allowed }),
  }),
  screen({
    id: "staff",
    label: "Staff",
    key: "7",
    action: "manage_accounts",
    component: Staff,
    props: ({ info, signedIn }) => ({ ownAccountId: signedIn.account_id, timeZone: info.settings.time_zone }),
  }),
  screen({
    id: "audit",
    label: "Audit log",
    key: "8",
    action: "read_audit_log",
    component: AuditLog,
    props: ({ info }) => ({ timeZone: info.settings.time_zone }),
  }),
  screen({
    id: "settings",
    label: "Settings",
    key: "9",
    action: "manage_settings",
    component: SettingsScreen,
    props: ({ info, session, settingsFocus, refreshInfo, sessionChanged }) => ({
      onSaved: refreshInfo,
      timeZone: info.settings.time_zone,
      focus: settingsFocus,
      lockAfterMinutes: session.lock_after_minutes,
      onSessionChanged: sessionChanged,
    }),
  }),
] as const satisfies readonly Screen[];

export type ScreenEntry = (typeof SCREENS)[number];
export type ScreenId = ScreenEntry["id"];

/** Whether the signed-in account can open `screen`: now, only once it types its password (it
 * signed in by PIN and the screen's action asks for more), or not at all. `volunteer`: the
 * account is a volunteer's. */
export function access(screen: Screen, signedIn: SignedIn, volunteer = false): "open" | "password" | "none" {
  if (screen.volunteersOnly && !volunteer) return "none";
  if (signedIn.allowed.includes(screen.action)) return "open";
  if (signedIn.after_password.includes(screen.action)) return "password";
  return "none";
}

/** The component to mount for `screen`, with its props: each entry's own pair, seen as one type. */
export function mounted(
  screen: Screen,
  context: ScreenContext,
): {
  component: Component<Record<string, unknown>>;
  props: Record<string, unknown>;
} {
  return { component: screen.component as Component<Record<string, unknown>>, props: screen.props(context) };
}

/** The order screens are landed on after signing in, where it is not the bar's: a coordinator
 * starts on coverage, ahead of the groups they also run. */
const LANDING: readonly ScreenId[] = ["front-desk", "volunteers", "groups", "warmline"];

/** Where `signedIn` starts: the first screen their roles open, in LANDING's order. */
export function firstScreen(signedIn: SignedIn): ScreenEntry | undefined {
  const rank = (screen: ScreenEntry) => {
    const at = LANDING.indexOf(screen.id);
    return at === -1 ? LANDING.length : at;
  };
  return [...SCREENS].sort((a, b) => rank(a) - rank(b)).find((screen) => access(screen, signedIn) !== "none");
}

/** The screen Alt+`key` opens. */
export function screenForKey(key: string): ScreenEntry | undefined {
  return SCREENS.find((screen) => screen.key === key);
}
