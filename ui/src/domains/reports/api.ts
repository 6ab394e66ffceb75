// What the reports domain asks of the desk: each a command of src-tauri/src/commands/reports.rs.
import { call, type Figures } from "../../lib/api";

export const reportsApi = {
  today: () => call<Figures>("today_figures"),
};
