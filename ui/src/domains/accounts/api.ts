// What the accounts domain asks of the desk: each a command of src-tauri/src/commands/accounts.rs.
import { call, type AccountInput, type Role } from "../../lib/api";

export const accountsApi = {
  list: () => call("list_accounts"),
  create: (input: AccountInput) => call("create_account", { input }),
  update: (id: string, name: string, roles: Role[]) => call("update_account", { id, name, roles }),
  linkPerson: (id: string, personId: string | null) => call("link_account_person", { id, person_id: personId }),
  setActive: (id: string, active: boolean) => call("set_account_active", { id, active }),
  unlock: (id: string) => call("unlock_account", { id }),
  setPin: (id: string, pin: string) => call("set_account_pin", { id, pin }),
  setPassword: (id: string, password: string) => call("set_account_password", { id, password }),
};
