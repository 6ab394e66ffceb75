import { describe, expect, it } from "vitest";
import type { SignedIn } from "../lib/api";
import { access, firstScreen, SCREENS, screenForKey } from "./registry";

function signedIn(allowed: SignedIn["allowed"], roles: SignedIn["roles"]): SignedIn {
  return { account_id: "a", name: "Casey L.", roles, method: "pin", has_password: false, allowed, after_password: [] };
}

describe("the screens each role reaches", () => {
  it("puts a warmline volunteer on the line, at Alt+3", () => {
    const volunteer = signedIn(["take_calls", "edit_call", "change_own_secret"], ["warmline"]);
    expect(firstScreen(volunteer)?.id).toBe("warmline");
    expect(screenForKey("3")?.id).toBe("warmline");
    expect(SCREENS.filter((screen) => access(screen, volunteer) !== "none").map((screen) => screen.id)).toEqual([
      "warmline",
    ]);
  });

  it("never offers the line to the front desk", () => {
    const frontDesk = signedIn(["search_people", "check_in", "see_who_is_here"], ["front_desk"]);
    expect(firstScreen(frontDesk)?.id).toBe("front-desk");
    expect(access(screenForKey("3")!, frontDesk)).toBe("none");
  });

  it("puts a coordinator on coverage at Alt+4, and a facilitator on their groups", () => {
    const coordinator = signedIn(
      ["manage_volunteers", "see_sessions", "manage_groups", "take_calls", "see_shifts"],
      ["coordinator"],
    );
    expect(firstScreen(coordinator)?.id).toBe("volunteers");
    expect(screenForKey("4")?.id).toBe("volunteers");
    const facilitator = signedIn(
      ["see_sessions", "take_attendance", "see_shifts", "sign_up_for_shifts"],
      ["facilitator"],
    );
    expect(firstScreen(facilitator)?.id).toBe("groups");
    expect(access(screenForKey("4")!, facilitator)).toBe("none");
    const admin = signedIn(["check_in", "manage_volunteers", "see_sessions"], ["admin"]);
    expect(firstScreen(admin)?.id).toBe("front-desk");
  });

  it("offers a volunteer their own shifts at Alt+6, and nobody else", () => {
    const casey = signedIn(["take_calls", "see_shifts", "sign_up_for_shifts", "clock_shifts"], ["warmline"]);
    const myShifts = screenForKey("6")!;
    expect(myShifts.id).toBe("my-shifts");
    expect(access(myShifts, casey, true)).toBe("open");
    expect(access(myShifts, casey, false)).toBe("none");
    expect(firstScreen(casey)?.id).toBe("warmline");
  });
});
