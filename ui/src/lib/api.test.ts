import { describe, expect, it } from "vitest";
import { ApiError, toApiError, touches } from "./api";

describe("errors from the desk", () => {
  it("keep the field a refusal concerns", () => {
    const err = toApiError({ code: "invalid_email", message: "That email address doesn't look right.", field: "email" });
    expect(err).toBeInstanceOf(ApiError);
    expect(err.field).toBe("email");
    expect(err.message).toMatch(/email/);
  });

  it("carry the open visit of someone already checked in", () => {
    const err = toApiError({
      code: "already_checked_in",
      message: "Already checked in",
      field: null,
      detail: { visit_id: "v1", since: "2026-11-23T15:00:00.000Z" },
    });
    expect(err.detail.visit_id).toBe("v1");
    expect(err.detail.since).toBe("2026-11-23T15:00:00.000Z");
  });

  it("turn anything else into a readable internal error", () => {
    expect(toApiError("window closed").message).toBe("window closed");
    expect(toApiError(new Error("boom")).code).toBe("internal");
  });
});

describe("records arriving from other desks", () => {
  it("concern a screen only when they are of its record types", () => {
    const arrived = { entities: ["audit", "visit"] };
    expect(touches(arrived, ["person", "visit"])).toBe(true);
    expect(touches(arrived, ["account"])).toBe(false);
    expect(touches({ entities: [] }, ["person"])).toBe(false);
  });
});
