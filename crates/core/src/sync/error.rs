//! The sync domain's errors, from the engine's connection to the hub up to joining a center:
//! in the engine's layer, so every part of sync can say what stopped it.

crate::error::domain_errors! {
    /// What stops a desk from connecting to its hub, syncing, joining its center or trusting its clock.
    pub enum SyncError, codes SyncErrorCode {
        #[error("A hub address looks like https://hub.example.org or http://127.0.0.1:8787.")]
        InvalidHubUrl in "hub_url",
        #[error("This hub is on another computer and its address starts with http://, so people's records would cross the network unencrypted. Use its https:// address, or allow plain HTTP only on a private network the center trusts.")]
        PlainHttpRefused in "hub_url",
        #[error("That is not a certificate: paste the hub's certificate as text, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.")]
        InvalidHubCertificate in "hub_certificate",
        #[error("That is the hub's private key, which must stay on the hub. Paste its certificate (hub.crt) instead, and tell the hub's operator the key was copied.")]
        HubKeyGivenToDesk in "hub_certificate",
        #[error("The hub at {url} did not show a certificate this desk trusts ({reason}). If the hub uses its own certificate, give it to this desk when connecting.")]
        HubNotTrusted { url: String, reason: String } in "hub_certificate",
        #[error("A desk name is needed, such as \"Front desk\".")]
        DeskNameRequired in "desk_name",
        #[error("The enrollment code from the hub's operator is needed.")]
        EnrollmentCodeRequired in "enrollment_code",
        #[error("The hub did not accept that enrollment code: {message}")]
        EnrollmentRefused { message: String } in "enrollment_code",
        #[error("This desk is already connected to {hub_url}; disconnect it first.")]
        AlreadyConnected { hub_url: String },
        #[error("This desk is not connected to a hub yet.")]
        NotConnected,
        #[error("The hub at {url} cannot be reached ({reason}). Changes are kept and sent later.")]
        HubUnreachable { url: String, reason: String },
        #[error("The hub no longer accepts this desk: it was revoked, or the hub was put back from a copy made before this desk connected. Ask the hub's operator for a new enrollment code, disconnect, and connect again: the desk then sends the hub whatever it lacks.")]
        NotAuthorised,
        #[error("The hub's disk is full, so it can take nothing from this desk. Changes are kept here and sent once the hub's operator frees space.")]
        HubDiskFull,
        #[error("The hub refused the request ({status} {code}): {message}")]
        HubRefused { status: u16, code: String, message: String },
        #[error("This desk is waiting to be let into the center. At a desk that already syncs, an admin opens Settings → Sync and lets it in; the code shown there must read {code}. Or type the center's recovery words here.")]
        WaitingToJoin { code: String },
        #[error("The hub at {url} is older than this desk and cannot keep its changes sealed. Ask the hub's operator to update porchlight-hub.")]
        HubTooOld { url: String },
        #[error(
            "That desk no longer asks to join (it may have asked again, or another desk let it in). Sync, then look again."
        )]
        JoinRequestGone,
        #[error("The keys another desk sent could not be opened here. This desk asks to join again; let it in once more.")]
        JoinKeysUnreadable,
        #[error("This desk does not hold the center's key yet, so it cannot let another desk in.")]
        NoCenterKeyHere,
        #[error("The hub says this center now seals with a key (id {key_id}) that no desk of the center proved to this one. Nothing was sent or taken. If an admin changed the center's key, type the newest recovery words here; otherwise tell the hub's operator.")]
        CenterKeyUntraced { key_id: String },
        #[error("The hub keeps a signing key for this center that is not the center's: whoever registered it could revoke desks or let desks in. Nothing was sent. Tell the hub's operator, who can forget it (porchlight-hub centers forget-verifier); this desk then registers the center's own at its next sync.")]
        CenterVerifierNotOurs,
        #[error("The hub has no such desk in this center. Look at the list again.")]
        NoSuchDesk,
        #[error("This is the desk you are using: revoke it from another desk, or disconnect it here.")]
        CannotRevokeThisDesk,
        #[error("{reason}")]
        NotRecoveryWords { reason: String } in "recovery_words",
        #[error("This computer's clock is far from the hub's (the hub's is {gap} it), so this desk makes no change until the clock is put right. Set the computer's date and time, then sync; or an admin takes the hub's time in Settings → Sync.")]
        ClockInDoubt { gap: String },
        /// What the clock reads, why that cannot be right, and what puts it right.
        #[error("{message}")]
        ClockWrong { message: String },
        #[error("These recovery words are a real key, but not the one this center seals with now. Check that the sheet is this center's newest.")]
        RecoveryWordsOfAnotherKey in "recovery_words",
        #[error("This desk holds no center key, so no recovery words can show that you speak for the center. Ask another admin to set the password in the app, or open this desk with its passphrase.")]
        NoRecoveryWordsHere in "recovery_words",
        #[error("The hub went back to an earlier state of this center's records (it was put back from a backup, or replaced): this desk takes everything the hub holds again and sends what the hub lost.")]
        HubWentBack,
        #[error("The hub's answer could not be understood: {reason}")]
        HubAnswerNotUnderstood { reason: String },
        #[error("Another desk sent a {entity} whose {field} this desk cannot store.")]
        UnusableSyncedValue { entity: &'static str, field: &'static str },
    }
}
