//! When a group meets: its schedules, each an RFC 5545 recurrence ([`crate::recurrence`]).
//!
//! A group's meetings are the union of its schedules' occurrences. Editing a schedule that has
//! begun ends it now and starts a new one, so past sessions keep the times they met at. The
//! occurrences are expanded into `group_occurrences`, each named as its session
//! ([`session_id`]).

use super::sessions::session_id;
use crate::recurrence::Index;
use crate::sync::entity::Table;

/// Schedules travel as their recurrence text; each desk expands them itself.
pub(crate) const SYNCED: Table = Table {
    entity: "group_schedule",
    table: "group_schedules",
    columns: &["group_id", "recurrence", "duration_minutes", "created_at"],
    upkeep: &OCCURRENCES,
    ..Table::PLAIN
};

pub(super) const OCCURRENCES: Index = Index {
    recurrences: "group_schedules",
    owner_column: "group_id",
    occurrences: "group_occurrences",
    occurrence_id: session_id,
};
