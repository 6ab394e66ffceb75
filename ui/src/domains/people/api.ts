// What the people domain asks of the desk: each a command of src-tauri/src/commands/people.rs.
import { call, type Person, type PersonInput, type PersonMatch } from "../../lib/api";

export const peopleApi = {
  search: (query: string) => call<PersonMatch[]>("search_people", { query }),
  findMember: (code: string) => call<PersonMatch | null>("find_member", { code }),
  get: (id: string) => call<Person>("get_person", { id }),
  register: (input: PersonInput) => call<Person>("register_person", { input }),
  update: (id: string, input: PersonInput) => call<Person>("update_person", { id, input }),
  possibleDuplicates: (input: PersonInput, exceptId: string | null) =>
    call<PersonMatch[]>("possible_duplicates", { input, except_id: exceptId }),
  forget: (id: string) => call<null>("forget_person", { id }),
};
