// What the reports domain asks of the desk: each a command of src-tauri/src/commands/reports.rs.
import { call, type Figures } from "../../lib/api";
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
  today: () => call<Figures>("today_figures"),
  period: (preset: Preset) => call<Period>("report_period", { preset }),
  compare: (from: string, to: string) => call<Comparison>("center_report", { from, to }),
  defaultFolder: () => call<string>("default_report_folder"),
  save: (from: string, to: string, options: FileOptions, folder: string) =>
    call<string>("save_report", { from, to, options, folder }),
  samePerson: () => call<SamePersonOverview>("same_person_overview"),
  link: (personId: string, otherId: string) =>
    call<SamePersonOverview>("link_people", { person_id: personId, other_id: otherId }),
  keepApart: (personId: string, otherId: string) =>
    call<SamePersonOverview>("keep_people_apart", { person_id: personId, other_id: otherId }),
  settings: () => call<ReportSettings>("report_settings"),
  setSettings: (input: ReportSettings) => call<ReportSettings>("set_report_settings", { input }),
};
