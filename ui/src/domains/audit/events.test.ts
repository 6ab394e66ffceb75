import { describe, expect, it } from "vitest";
import { eventLabel } from "./events";

describe("audit event words", () => {
  it("names known events and shows an unknown one as it came", () => {
    expect(eventLabel("person_viewed")).toBe("Person's record viewed");
    expect(eventLabel("caller_note_read")).toBe("caller note read");
  });
});
