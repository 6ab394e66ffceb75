//! A center's monthly figures, published to its hub when the center chooses to, so a network
//! that funds many centers can report on all of them. Plain (not sealed), and counts only: no
//! person, caller or volunteer is in them, and a count under the center's small-count
//! threshold travels as "fewer than N", as in its printed reports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A count as a report prints it: exact, or hidden as "fewer than N" (then between 1 and N-1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(untagged)]
pub enum Count {
    Exact(u64),
    #[cfg_attr(feature = "openapi", schema(example = "fewer than 5"))]
    Hidden(String),
}

impl Count {
    /// The bounds a count stands for: itself twice, or 1 and N-1 for "fewer than N"; `None`
    /// when it reads as neither.
    pub fn bounds(&self) -> Option<(u64, u64)> {
        match self {
            Count::Exact(count) => Some((*count, *count)),
            Count::Hidden(text) => {
                let below: u64 = text.strip_prefix("fewer than ")?.parse().ok()?;
                (below >= 2).then_some((1, below - 1))
            }
        }
    }
}

/// The outcomes a desk counts calls by, named as its reports name them (in English, whatever
/// language the desk shows): the only names a hub takes, so a desk cannot slip words of its own
/// into the network's figures.
pub const CALL_OUTCOMES: [&str; 5] = [
    "Supportive listening",
    "Information or referral",
    "Follow-up requested",
    "Transferred to a crisis line",
    "Emergency services",
];

/// One month of a center: what its monthly report counts, without anyone in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MonthFigures {
    /// The calendar month in the center's time zone.
    #[cfg_attr(feature = "openapi", schema(example = "2026-11", pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$"))]
    pub month: String,
    /// Counts from 1 to this minus one are hidden; `None` when every count is exact.
    pub small_counts_below: Option<u32>,
    pub visits: Count,
    /// Named people with a visit or at a group, each once: within this center only.
    pub people_served: Count,
    /// Visits, group headcounts and calls without a name.
    pub anonymous_contacts: Count,
    pub group_attendance: Count,
    pub calls: Count,
    /// Calls by their outcome's name, one of [`CALL_OUTCOMES`].
    pub calls_by_outcome: BTreeMap<String, Count>,
    pub volunteer_hours: f64,
}

/// Whether `month` is a calendar month written `YYYY-MM`.
pub fn is_month(month: &str) -> bool {
    let bytes = month.as_bytes();
    bytes.len() == 7
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && matches!(&month[5..], "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_count_stands_for_one_to_one_under_its_threshold() {
        assert_eq!(Count::Exact(12).bounds(), Some((12, 12)));
        assert_eq!(Count::Hidden("fewer than 5".into()).bounds(), Some((1, 4)));
        assert_eq!(Count::Hidden("about 5".into()).bounds(), None);
        assert_eq!(Count::Hidden("fewer than 1".into()).bounds(), None);
    }

    #[test]
    fn months_are_written_year_dash_month() {
        assert!(is_month("2026-11") && is_month("2027-01"));
        for wrong in ["2026-13", "2026-1", "26-11", "2026/11", "2026-00", "2026-11-01"] {
            assert!(!is_month(wrong), "{wrong}");
        }
    }

    #[test]
    fn figures_holding_anything_but_counts_are_refused() {
        let with_a_name = r#"{"month":"2026-11","small_counts_below":5,"visits":3,"people_served":"fewer than 5",
            "anonymous_contacts":0,"group_attendance":0,"calls":0,"calls_by_outcome":{},"volunteer_hours":0,
            "names":["Dana P."]}"#;
        assert!(serde_json::from_str::<MonthFigures>(with_a_name).is_err());
    }
}
