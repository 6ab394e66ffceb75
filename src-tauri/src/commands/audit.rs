use porchlight_core::audit::{self, AuditEntry, AuditQuery};


use super::declare::commands;

commands! {
    signed_in fn browse_audit(query: AuditQuery) -> Vec<AuditEntry> =
        |desk, session| audit::browse(desk, session, &query);
}
