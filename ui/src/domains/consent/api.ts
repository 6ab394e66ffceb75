// What the consent domain asks of the desk: each a command of src-tauri/src/commands/consent.rs.
import { call, type ConsentKind } from "../../lib/api";

export const consentApi = {
  current: (personId: string) => call("person_consent", { person_id: personId }),
  record: (personId: string, kind: ConsentKind, given: boolean) =>
    call("record_consent", { person_id: personId, kind, given }),
};
