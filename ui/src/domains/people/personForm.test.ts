import { describe, expect, it } from "vitest";
import { draftFromPerson, draftToInput, emptyDraft } from "./personForm";

describe("the person form", () => {
  it("turns blank fields into 'not given'", () => {
    const result = draftToInput({ ...emptyDraft("  Dan R. "), alias: "  ", phone: " 555-0100 " });
    expect(result).toEqual({
      ok: true,
      input: {
        display_name: "Dan R.",
        alias: null,
        phone: "555-0100",
        email: null,
        birth_year: null,
        pronouns: null,
        preferred_language: null,
        contact_consent: false,
      },
    });
  });

  it("refuses a year that is not four digits, naming the field", () => {
    const result = draftToInput({ ...emptyDraft("Dan"), birth_year: "84" });
    expect(result).toMatchObject({ ok: false, field: "birth_year" });
    expect(draftToInput({ ...emptyDraft("Dan"), birth_year: "1984" })).toMatchObject({
      ok: true,
      input: { birth_year: 1984 },
    });
  });

  it("round-trips a saved person", () => {
    const draft = draftFromPerson({
      id: "p1",
      member_code: "K7QM4X",
      display_name: "Maria G",
      alias: null,
      phone: null,
      email: "maria@example.org",
      birth_year: 1987,
      pronouns: "she/her",
      preferred_language: null,
      contact_consent: true,
      created_at: "2026-11-23T15:00:00.000Z",
      updated_at: "2026-11-23T15:00:00.000Z",
    });
    expect(draft.birth_year).toBe("1987");
    expect(draftToInput(draft)).toMatchObject({
      ok: true,
      input: { email: "maria@example.org", alias: null, contact_consent: true },
    });
  });
});
