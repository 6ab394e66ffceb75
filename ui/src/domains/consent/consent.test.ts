import { describe, expect, it } from "vitest";
import { standing } from "./consent";

describe("consent at the desk", () => {
  it("tells a refusal apart from never having been asked", () => {
    const base = { kind: "photo" as const, recorded_by_name: null };
    expect(standing({ ...base, given: false, since: null })).toBe("not asked");
    expect(standing({ ...base, given: false, since: "2026-11-23T15:00:00Z" })).toBe("no");
    expect(standing({ ...base, given: true, since: "2026-11-23T15:00:00Z" })).toBe("yes");
  });
});
