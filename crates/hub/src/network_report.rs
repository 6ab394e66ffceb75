//! The network's figures for a month, for the operator of a hub serving many centers: each
//! publishing center's counts, the network's totals, and the centers that have not published.
//!
//! Centers publish counts only, so some things cannot be known. People served are counted
//! within each center, and a person served at two centers is in both counts: the network's
//! total of people served is left out, not added up as if it could be. A count a center hid
//! as "fewer than N" stands for 1 to N-1, so a total over one reads as a range.

use std::collections::BTreeSet;

use porchlight_protocol::spreadsheet::safe_cell;
use porchlight_protocol::{Count, MonthFigures};
use serde_json::{json, Value};

use crate::store::{Store, StoreResult};

/// Why the network has no total of people served.
pub const PEOPLE_SERVED_NOTE: &str = "People served are counted within each center; a person served at more than one \
     center is in each center's count, so they are not added up across centers.";

/// One center's month, as published.
#[derive(Debug, Clone, PartialEq)]
pub struct CenterRow {
    pub center: String,
    pub published_at: String,
    pub figures: MonthFigures,
}

/// A network total: the sum of what the centers published, from its lowest to its highest
/// value (equal when no count in it was hidden).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Total {
    pub at_least: u64,
    pub at_most: u64,
}

impl Total {
    fn of<'a>(counts: impl Iterator<Item = &'a Count>) -> Total {
        counts.filter_map(Count::bounds).fold(Total { at_least: 0, at_most: 0 }, |total, (low, high)| Total {
            at_least: total.at_least + low,
            at_most: total.at_most + high,
        })
    }

    /// "412", or "415 to 427" when hidden counts leave it open.
    pub fn text(&self) -> String {
        if self.at_least == self.at_most {
            self.at_least.to_string()
        } else {
            format!("{} to {}", self.at_least, self.at_most)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkReport {
    pub month: String,
    pub centers: Vec<CenterRow>,
    /// Centers with nothing published for the month, oldest first.
    pub not_published: Vec<String>,
    /// Every outcome any center reported, in order.
    pub outcomes: Vec<String>,
}

/// The measures the report totals, each with how it reads from a center's figures.
type Measure = (&'static str, &'static str, fn(&MonthFigures) -> &Count);

const MEASURES: [Measure; 5] = [
    ("visits", "Visits", |figures| &figures.visits),
    ("anonymous_contacts", "Anonymous contacts", |figures| &figures.anonymous_contacts),
    ("group_attendance", "Group attendance", |figures| &figures.group_attendance),
    ("calls", "Calls", |figures| &figures.calls),
    ("people_served", "People served (within the center)", |figures| &figures.people_served),
];

impl NetworkReport {
    pub fn make(store: &dyn Store, month: &str) -> StoreResult<NetworkReport> {
        let mut report = NetworkReport {
            month: month.to_owned(),
            centers: Vec::new(),
            not_published: Vec::new(),
            outcomes: Vec::new(),
        };
        let mut outcomes = BTreeSet::new();
        for center in store.network_figures(month)? {
            match (center.figures, center.published_at) {
                (Some(figures), Some(published_at)) => {
                    outcomes.extend(figures.calls_by_outcome.keys().cloned());
                    report.centers.push(CenterRow { center: center.center, published_at, figures });
                }
                _ => report.not_published.push(center.center),
            }
        }
        report.outcomes = outcomes.into_iter().collect();
        Ok(report)
    }

    /// The network's total of a measure; `None` for people served, which cannot be added up.
    pub fn total(&self, measure: &str) -> Option<Total> {
        let (_, _, read) = MEASURES.iter().find(|(key, _, _)| *key == measure)?;
        (measure != "people_served").then(|| Total::of(self.centers.iter().map(|row| read(&row.figures))))
    }

    pub fn outcome_total(&self, outcome: &str) -> Total {
        Total::of(self.centers.iter().filter_map(|row| row.figures.calls_by_outcome.get(outcome)))
    }

    pub fn volunteer_hours(&self) -> f64 {
        self.centers.iter().map(|row| row.figures.volunteer_hours).sum()
    }

    pub fn to_json(&self) -> Value {
        let total = |total: Total| json!({"at_least": total.at_least, "at_most": total.at_most});
        let mut network = serde_json::Map::new();
        for (key, _, _) in MEASURES {
            network.insert(key.into(), self.total(key).map_or(Value::Null, total));
        }
        network.insert(
            "calls_by_outcome".into(),
            self.outcomes.iter().map(|outcome| (outcome.clone(), total(self.outcome_total(outcome)))).collect(),
        );
        network.insert("volunteer_hours".into(), json!(self.volunteer_hours()));
        json!({
            "month": self.month,
            "centers": self.centers.iter().map(|row| {
                let mut value = serde_json::to_value(&row.figures).expect("figures serialise");
                value["center"] = json!(row.center);
                value["published_at"] = json!(row.published_at);
                value
            }).collect::<Vec<_>>(),
            "network": network,
            "not_published": self.not_published,
            "notes": [PEOPLE_SERVED_NOTE],
        })
    }

    /// The report as a tidy table: center, measure, breakdown, value; the network's totals as
    /// the center "Network", and each center that has not published.
    pub fn rows(&self) -> Vec<[String; 4]> {
        let count = |count: &Count| match count {
            Count::Exact(count) => count.to_string(),
            Count::Hidden(text) => text.clone(),
        };
        let mut rows = Vec::new();
        for row in &self.centers {
            for (_, label, read) in MEASURES {
                rows.push([row.center.clone(), label.into(), String::new(), count(read(&row.figures))]);
            }
            for (outcome, calls) in &row.figures.calls_by_outcome {
                rows.push([row.center.clone(), "Calls by outcome".into(), outcome.clone(), count(calls)]);
            }
            rows.push([
                row.center.clone(),
                "Volunteer hours".into(),
                String::new(),
                hours(row.figures.volunteer_hours),
            ]);
            rows.push([row.center.clone(), "Published".into(), String::new(), row.published_at.clone()]);
        }
        for (key, label, _) in MEASURES {
            let value = self.total(key).map_or_else(|| PEOPLE_SERVED_NOTE.to_owned(), |total| total.text());
            rows.push(["Network".into(), label.into(), String::new(), value]);
        }
        for outcome in &self.outcomes {
            rows.push([
                "Network".into(),
                "Calls by outcome".into(),
                outcome.clone(),
                self.outcome_total(outcome).text(),
            ]);
        }
        rows.push(["Network".into(), "Volunteer hours".into(), String::new(), hours(self.volunteer_hours())]);
        rows.push(["Network".into(), "Centers published".into(), String::new(), self.centers.len().to_string()]);
        for center in &self.not_published {
            rows.push([center.clone(), "Published".into(), String::new(), "not yet".into()]);
        }
        rows
    }

    pub fn to_csv(&self) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["center", "measure", "breakdown", "value"]).expect("writes to memory");
        for row in self.rows() {
            writer.write_record(row.iter().map(|cell| safe_cell(cell).into_owned())).expect("writes to memory");
        }
        writer.into_inner().expect("writes to memory")
    }

    /// A workbook: the month's table on one sheet, and what the figures cannot say.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let sheet = workbook.add_worksheet().set_name(format!("Network {}", self.month))?;
        for (column, title) in ["Center", "Measure", "Breakdown", "Value"].iter().enumerate() {
            sheet.write_with_format(0, column as u16, *title, &bold)?;
        }
        for (index, row) in self.rows().iter().enumerate() {
            for (column, cell) in row.iter().enumerate() {
                match cell.parse::<f64>() {
                    Ok(number) if column == 3 => sheet.write_number(index as u32 + 1, 3, number)?,
                    _ => sheet.write_string(index as u32 + 1, column as u16, cell)?,
                };
            }
        }
        sheet.set_column_width(0, 24)?.set_column_width(1, 34)?.set_column_width(2, 18)?.set_column_width(3, 28)?;
        let notes = workbook.add_worksheet().set_name("Notes")?;
        notes.write_string(0, 0, PEOPLE_SERVED_NOTE)?;
        notes.write_string(
            1,
            0,
            "A count shown as \"fewer than N\" is between 1 and N-1; totals that include one are ranges.",
        )?;
        workbook.save_to_buffer()
    }
}

fn hours(hours: f64) -> String {
    format!("{:.1}", hours)
}
