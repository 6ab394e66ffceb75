//! Record ids.

/// Every record's id: a UUIDv7, so ids sort by creation time on every desk.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
