// What the reports domain asks of the desk: each a command of src-tauri/src/commands/reports.rs.
import { call } from "../../lib/api";
import type { Comparison } from "../../lib/bindings/Comparison";
import type { FileOptions } from "../../lib/bindings/FileOptions";
import type { Pair } from "../../lib/bindings/Pair";
import type { Period } from "../../lib/bindings/Period";
import type { Preset } from "../../lib/bindings/Preset";
import type { Report } from "../../lib/bindings/Report";
import type { ReportFormat } from "../../lib/bindings/ReportFormat";
import type { ReportSettings } from "../../lib/bindings/ReportSettings";
import type { SamePersonOverview } from "../../lib/bindings/SamePersonOverview";

export type { Comparison, FileOptions, Pair, Period, Preset, Report, ReportFormat, ReportSettings, SamePersonOverview };

export const reportsApi = {
  today: () => call("today_figures"),
  period: (preset: Preset) => call("report_period", { preset }),
  compare: (from: string, to: string) => call("center_report", { from, to }),
  defaultFolder: () => call("default_report_folder"),
  save: (from: string, to: string, options: FileOptions, folder: string) =>
    call("save_report", { from, to, options, folder }),
  samePerson: () => call("same_person_overview"),
  link: (personId: string, otherId: string) => call("link_people", { person_id: personId, other_id: otherId }),
  keepApart: (personId: string, otherId: string) =>
    call("keep_people_apart", { person_id: personId, other_id: otherId }),
  settings: () => call("report_settings"),
  setSettings: (input: ReportSettings) => call("set_report_settings", { input }),
};
