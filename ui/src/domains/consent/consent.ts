// Consent as the desk shows it: a word for each kind, and where the person stands.
import type { Consent } from "../../lib/bindings/Consent";
import type { ConsentKind } from "../../lib/bindings/ConsentKind";

export const CONSENT_LABEL: Record<ConsentKind, string> = {
  contact_by_phone: "Phone calls",
  contact_by_sms: "Text messages",
  contact_by_email: "Email",
  photo: "Photos",
  sharing_with_partners: "Sharing with partner agencies",
};

export type Standing = "yes" | "no" | "not asked";

/** "Not asked" until the person has answered this kind at least once. */
export function standing(consent: Consent): Standing {
  if (!consent.since) return "not asked";
  return consent.given ? "yes" : "no";
}
