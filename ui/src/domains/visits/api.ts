// What the visits domain asks of the desk: each a command of src-tauri/src/commands/visits.rs.
import { call } from "../../lib/api";

export const visitsApi = {
  checkIn: (personId: string, serviceIds: string[] = []) =>
    call("check_in", { person_id: personId, service_ids: serviceIds }),
  checkInAnonymous: (serviceIds: string[] = []) => call("check_in_anonymous", { service_ids: serviceIds }),
  checkOut: (visitId: string) => call("check_out", { visit_id: visitId }),
  undoCheckOut: (visitId: string) => call("undo_check_out", { visit_id: visitId }),
  checkOutEveryone: () => call("check_out_everyone"),
  undoCheckIn: (visitId: string) => call("undo_check_in", { visit_id: visitId }),
  setServices: (visitId: string, serviceIds: string[]) =>
    call("set_visit_services", { visit_id: visitId, service_ids: serviceIds }),
  hereNow: () => call("here_now"),
};
