import { describe, expect, it } from "vitest";
import { eventLabel, rolesLabel } from "./staff";

describe("staff words", () => {
  it("names roles in the order they are offered", () => {
    expect(rolesLabel(["warmline", "front_desk"])).toBe("Front desk, Warmline");
  });

  it("names known events and shows an unknown one as it came", () => {
    expect(eventLabel("person_viewed")).toBe("Person's record viewed");
    expect(eventLabel("caller_note_read")).toBe("caller note read");
  });
});
