// The register/edit form holds text as typed; the desk wants a PersonInput.
import type { Person, PersonInput } from "../../lib/api";

export interface PersonDraft {
  display_name: string;
  alias: string;
  phone: string;
  email: string;
  birth_year: string;
  pronouns: string;
  preferred_language: string;
  contact_consent: boolean;
}

export function emptyDraft(displayName = ""): PersonDraft {
  return {
    display_name: displayName,
    alias: "",
    phone: "",
    email: "",
    birth_year: "",
    pronouns: "",
    preferred_language: "",
    contact_consent: false,
  };
}

export function draftFromPerson(person: Person): PersonDraft {
  return {
    display_name: person.display_name,
    alias: person.alias ?? "",
    phone: person.phone ?? "",
    email: person.email ?? "",
    birth_year: person.birth_year?.toString() ?? "",
    pronouns: person.pronouns ?? "",
    preferred_language: person.preferred_language ?? "",
    contact_consent: person.contact_consent,
  };
}

export type DraftResult = { ok: true; input: PersonInput } | { ok: false; field: keyof PersonDraft; message: string };

/** Empty text becomes "not given"; a year must be digits. The desk checks everything else. */
export function draftToInput(draft: PersonDraft): DraftResult {
  const optional = (text: string) => (text.trim() === "" ? null : text.trim());
  const year = draft.birth_year.trim();
  if (year !== "" && !/^\d{4}$/.test(year)) {
    return { ok: false, field: "birth_year", message: "Year of birth is four digits, like 1984." };
  }
  return {
    ok: true,
    input: {
      display_name: draft.display_name.trim(),
      alias: optional(draft.alias),
      phone: optional(draft.phone),
      email: optional(draft.email),
      birth_year: year === "" ? null : Number(year),
      pronouns: optional(draft.pronouns),
      preferred_language: optional(draft.preferred_language),
      contact_consent: draft.contact_consent,
    },
  };
}
