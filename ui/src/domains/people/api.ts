// What the people domain asks of the desk: each a command of src-tauri/src/commands/people.rs.
import { call, type PersonInput } from "../../lib/api";

export const peopleApi = {
  search: (query: string) => call("search_people", { query }),
  findMember: (code: string) => call("find_member", { code }),
  get: (id: string) => call("get_person", { id }),
  register: (input: PersonInput) => call("register_person", { input }),
  update: (id: string, input: PersonInput) => call("update_person", { id, input }),
  possibleDuplicates: (input: PersonInput, exceptId: string | null) =>
    call("possible_duplicates", { input, except_id: exceptId }),
  forget: (id: string) => call("forget_person", { id }),
};
