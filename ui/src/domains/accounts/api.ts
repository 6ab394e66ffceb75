// What the accounts domain asks of the desk: each a command of src-tauri/src/commands/accounts.rs.
import { call, type Account, type AccountInput, type Role } from "../../lib/api";

export const accountsApi = {
  list: () => call<Account[]>("list_accounts"),
  create: (input: AccountInput) => call<Account>("create_account", { input }),
  update: (id: string, name: string, roles: Role[]) => call<Account>("update_account", { id, name, roles }),
  linkPerson: (id: string, personId: string | null) =>
    call<Account>("link_account_person", { id, person_id: personId }),
  setActive: (id: string, active: boolean) => call<Account>("set_account_active", { id, active }),
  unlock: (id: string) => call<Account>("unlock_account", { id }),
  setPin: (id: string, pin: string) => call<null>("set_account_pin", { id, pin }),
  setPassword: (id: string, password: string) => call<null>("set_account_password", { id, password }),
};
