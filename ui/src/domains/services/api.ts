// What the services domain asks of the desk: each a command of src-tauri/src/commands/services.rs.
import { call } from "../../lib/api";

export const servicesApi = {
  list: (includeRetired: boolean) => call("list_services", { include_retired: includeRetired }),
  add: (name: string) => call("add_service", { name }),
  rename: (id: string, name: string) => call("rename_service", { id, name }),
  setActive: (id: string, active: boolean) => call("set_service_active", { id, active }),
  reorder: (ids: string[]) => call("reorder_services", { ids }),
};
