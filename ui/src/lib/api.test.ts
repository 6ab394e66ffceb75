import { describe, expect, it } from "vitest";
import { ApiError, attempt, besideField, toApiError, touches } from "./api";

describe("errors from the desk", () => {
  it("keep the field a refusal concerns", () => {
    const err = toApiError({
      code: "invalid_email",
      message: "That email address doesn't look right.",
      field: "email",
    });
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

describe("calling the desk from a screen", () => {
  it("hands a refusal to the screen as an ApiError, and says whether the call went through", async () => {
    const refusals: string[] = [];
    const refused = await attempt(
      () =>
        Promise.reject({
          code: "invalid_email",
          message: "That email address doesn't look right.",
          field: "email",
          detail: {},
        }),
      (err) => refusals.push(`${err.code}: ${err.field}`),
    );
    expect(refused).toBe(false);
    expect(refusals).toEqual(["invalid_email: email"]);
    expect(
      await attempt(
        () => Promise.resolve(1),
        () => refusals.push("never"),
      ),
    ).toBe(true);
    expect(refusals).toHaveLength(1);
  });

  it("puts a refusal beside its field only when the form has that field", () => {
    const err = toApiError({ code: "invalid_phone", message: "A phone number needs 7 to 15 digits.", field: "phone" });
    expect(besideField(err, ["phone", "email"])).toEqual({ phone: "A phone number needs 7 to 15 digits." });
    expect(besideField(err, ["display_name"])).toBeNull();
  });
});
