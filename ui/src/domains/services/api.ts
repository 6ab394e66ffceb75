// What the services domain asks of the desk: each a command of src-tauri/src/commands/services.rs.
import { call, type Service } from "../../lib/api";

export const servicesApi = {
  list: (includeRetired: boolean) => call<Service[]>("list_services", { include_retired: includeRetired }),
  add: (name: string) => call<Service>("add_service", { name }),
  rename: (id: string, name: string) => call<Service>("rename_service", { id, name }),
  setActive: (id: string, active: boolean) => call<Service>("set_service_active", { id, active }),
  reorder: (ids: string[]) => call<Service[]>("reorder_services", { ids }),
};
