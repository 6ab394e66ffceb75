//! The center's keys on this desk, and how a desk comes to hold them without the hub ever
//! holding one (issue 18).
//!
//! - The center's first desk makes the key when it first syncs with a hub whose center has none,
//!   and names it there (by id only). Its admin is then shown the key once as 24 recovery words.
//! - A desk whose center already has a key asks to join: it makes an X25519 key pair, sends the
//!   public half through the hub and shows a short code worked out from it. An admin at a desk
//!   holding the key sees the same code beside the desk's name, lets it in, and that desk seals
//!   the center's keys to the public key (a sealed box) for the hub to hand on. A hub that swapped
//!   in a key of its own would show a different code.
//! - A center with no desk left types its recovery words at a new desk instead.
//!
//! Keys live in the desk's encrypted database (`center_keys`), never in logs, exports or the
//! window; the join key pair's secret half in `sync_state` beside the hub token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::OsRng;
use crypto_box::{PublicKey, SecretKey};
use porchlight_protocol::{CenterInfo, Change, JoinRequest, KeyGrant, PulledChange};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::client::HubClient;
use super::entity::Table;
pub(crate) use super::seal::CenterKey;
use super::seal::{self, SealError, KEY_BYTES};
use super::state;
use crate::sync::error::SyncError;
use crate::{Desk, Error, Result, Timestamp};

/// The id of the key the center seals with now, as the hub last said.
const CENTER_KEY_ID: &str = "center_key_id";
/// The id of a key this desk made whose recovery words no admin has written down yet.
const RECOVERY_SHEET_WAITING: &str = "recovery_sheet_waiting";
/// While asking to join: the key pair's secret half, and the request's id at the hub.
const JOIN_SECRET: &str = "join_secret";
const JOIN_REQUEST_ID: &str = "join_request_id";
/// Desks of the center waiting to be let in, as the hub listed them at the last sync.
const JOIN_REQUESTS: &str = "join_requests";
/// The secret half of this desk's own key pair, whose public half other desks seal the
/// center's new key to after a change of key ([`DESK_KEYS`]).
const DESK_SECRET: &str = "desk_secret";

/// Each desk's public key, as a synced record of the center (sealed like any other).
pub(crate) const DESK_KEYS: Table =
    Table { entity: "desk_key", table: "desk_keys", columns: &["desk_name", "public_key", "added_at"], ..Table::PLAIN };

/// A desk asking to join, as an admin sees it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct JoinAsk {
    pub request_id: String,
    pub desk_name: String,
    /// The short code the asking desk shows: the same on both screens, or do not let it in.
    pub code: String,
    pub requested_at: Option<Timestamp>,
}

/// Every center key this desk holds, newest first.
pub(crate) fn ring(conn: &Connection) -> Result<Vec<CenterKey>> {
    let mut statement = conn.prepare_cached("SELECT key FROM center_keys ORDER BY added_at DESC, id")?;
    let rows = statement.query_map([], |row| row.get::<_, Vec<u8>>(0))?;
    let mut keys = Vec::new();
    for bytes in rows {
        let bytes: [u8; KEY_BYTES] = bytes?
            .try_into()
            .map_err(|_| Error::Sync(SyncError::UnusableSyncedValue { entity: "center_key", field: "key" }))?;
        keys.push(CenterKey::from_bytes(bytes));
    }
    Ok(keys)
}

fn hold(tx: &Transaction, key: &CenterKey, now: Timestamp) -> Result<()> {
    tx.prepare_cached("INSERT OR IGNORE INTO center_keys (id, key, added_at) VALUES (?1, ?2, ?3)")?
        .execute(params![key.id(), key.bytes().to_vec(), now.to_string()])?;
    Ok(())
}

/// The key this desk seals with: the center's current one, once the desk holds it.
pub(crate) fn current(conn: &Connection) -> Result<Option<CenterKey>> {
    let Some(id) = state::get(conn, CENTER_KEY_ID)? else { return Ok(None) };
    Ok(ring(conn)?.into_iter().find(|key| key.id() == id))
}

/// Gives the desk a center key outside any hub: for tests of sealed sync between desks.
#[cfg(any(test, feature = "testkit"))]
pub fn hold_for_test(desk: &mut Desk, key: &CenterKey) -> Result<()> {
    desk.write_unrecorded(|tx, now| seal_with(tx, key, now))
}

/// The desk holds `key` and seals with it from now on.
fn seal_with(tx: &Transaction, key: &CenterKey, now: Timestamp) -> Result<()> {
    hold(tx, key, now)?;
    state::set(tx, CENTER_KEY_ID, key.id())
}

/// The center's current key, and how many changes the hub still holds readable.
pub(crate) struct Settled {
    pub key: CenterKey,
    pub readable_changes: u64,
    /// This desk named the key just now, for a center that had none: what the hub holds is the
    /// center's history from before it had a key, which this desk seals.
    pub named_now: bool,
}

/// What a sync needs before it may push or pull: the center's current key, from `center` as
/// the hub just answered. The center's first desk makes it; any other desk asks to join and
/// waits ([`Error::Sync(SyncError::WaitingToJoin)`]) until a desk of the center lets it in.
pub(crate) fn settle(desk: &mut Desk, hub: &HubClient, center: &CenterInfo) -> Result<Settled> {
    let mut answered = Some(center.clone());
    // Twice at most: a desk that lost the race to make the key asks to join the next time round.
    for _ in 0..2 {
        let center = match answered.take() {
            Some(center) => center,
            None => hub.center()?.0,
        };
        let settled = |key: CenterKey| Settled { key, readable_changes: center.readable_changes, named_now: false };
        match center.key_id.clone() {
            None => {
                // A desk that already holds a key (its center's hub was set up again) keeps it.
                let held = ring(desk.conn())?.into_iter().next();
                let made = held.is_none();
                let key = held.unwrap_or_else(CenterKey::generate);
                if hub.claim_key(&key, None)?.is_some() {
                    desk.write_unrecorded(|tx, now| {
                        seal_with(tx, &key, now)?;
                        if made {
                            state::set(tx, RECOVERY_SHEET_WAITING, key.id())?;
                        }
                        Ok(())
                    })?;
                    return Ok(Settled { named_now: true, ..settled(key) });
                }
            }
            Some(key_id) => {
                if let Some(key) = ring(desk.conn())?.into_iter().find(|key| key.id() == key_id) {
                    check_verifier(hub, &key, center.key_verifier.as_deref())?;
                    // Most syncs: the desk already seals with it, and nothing is written.
                    if state::get(desk.conn(), CENTER_KEY_ID)?.as_deref() != Some(key_id.as_str()) {
                        desk.write_unrecorded(|tx, _| {
                            state::set(tx, CENTER_KEY_ID, &key_id)?;
                            forget_join(tx)
                        })?;
                    }
                    return Ok(settled(key));
                }
                if let Some(key) = granted(desk, hub, &key_id)? {
                    return Ok(settled(key));
                }
                // A desk that holds the center's keys never asks to join: a key it cannot trace
                // to one it holds is the hub's, or a rogue desk's, and nothing is sent under it.
                if !ring(desk.conn())?.is_empty() {
                    return Err(Error::Sync(SyncError::CenterKeyUntraced { key_id }));
                }
                return join(desk, hub, &key_id).map(settled);
            }
        }
    }
    Err(Error::Sync(SyncError::HubAnswerNotUnderstood {
        reason: "the center's key changed while this desk asked for it".into(),
    }))
}

/// The hub checks the center's acts against the verifying half of its key's signing key. A
/// center named by an older desk has none yet: this desk registers it. One the hub keeps that is
/// not the key's was registered by someone else first, who could then act for the center.
fn check_verifier(hub: &HubClient, key: &CenterKey, kept: Option<&str>) -> Result<()> {
    let ours = key.verifying_key();
    let registered = match kept {
        Some(kept) => kept == ours,
        None => hub.register_verifier(key)?,
    };
    if registered {
        Ok(())
    } else {
        Err(Error::Sync(SyncError::CenterVerifierNotOurs))
    }
}

/// The center changed its key: the new one, if a desk of the center sealed it to this desk.
fn granted(desk: &mut Desk, hub: &HubClient, key_id: &str) -> Result<Option<CenterKey>> {
    let Some(secret) = secret_in(desk.conn(), DESK_SECRET)? else { return Ok(None) };
    let Some(sealing_with) = current(desk.conn())? else { return Ok(None) };
    let device_id = state::get(desk.conn(), state::DEVICE_ID)?.unwrap_or_default();
    for grant in hub.my_key_grants()?.into_iter().filter(|grant| grant.key_id == key_id) {
        // Anyone can seal keys to this desk's public key: only a grant proven with the key the
        // desk seals with now is the center's. An older key will not do: a revoked desk holds
        // the key it replaced, and with a hub's help would hand out a key of its own.
        let provers = std::slice::from_ref(&sealing_with);
        let Ok(keys) = open_keys(&secret, &grant.sealed_keys, Some((provers, &device_id))) else { continue };
        let Some(key) = keys.iter().find(|key| key.id() == key_id).cloned() else { continue };
        desk.write_unrecorded(|tx, now| {
            keys.iter().try_for_each(|key| hold(tx, key, now))?;
            state::set(tx, CENTER_KEY_ID, key_id)
        })?;
        return Ok(Some(key));
    }
    Ok(None)
}

/// A desk holding the center's key publishes its own public key, as a record of the center, so
/// that a desk changing the key can seal the new one to it.
pub(crate) fn publish_desk_key(desk: &mut Desk) -> Result<()> {
    let conn = desk.conn();
    let Some(device_id) = state::get(conn, state::DEVICE_ID)? else { return Ok(()) };
    let secret = secret_in(conn, DESK_SECRET)?;
    let published: Option<String> =
        conn.query_row("SELECT public_key FROM desk_keys WHERE id = ?1", [&device_id], |row| row.get(0)).optional()?;
    if let (Some(secret), Some(published)) = (&secret, &published) {
        if public_key_text(secret) == *published {
            return Ok(());
        }
    }
    let secret = secret.unwrap_or_else(|| SecretKey::generate(&mut OsRng));
    let desk_name = state::get(conn, state::DESK_NAME)?.unwrap_or_default();
    desk.write(|tx, now| {
        state::set(tx, DESK_SECRET, &URL_SAFE_NO_PAD.encode(secret.to_bytes()))?;
        tx.execute(
            "INSERT INTO desk_keys (id, desk_name, public_key, added_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET desk_name = excluded.desk_name, public_key = excluded.public_key,
                                            added_at = excluded.added_at",
            params![device_id, desk_name, public_key_text(&secret), now.to_string()],
        )?;
        Ok(())
    })
}

/// Changes the center's key after a desk was revoked: a new key, named at the hub in place of
/// the current one, sealed to every other desk still enrolled; then the whole history at the hub
/// is sealed again with it (`seal_history`), so the revoked desk's key opens nothing there. The
/// new key's recovery words wait to be written down.
pub(crate) fn change_key(desk: &mut Desk, hub: &mut HubClient, still_enrolled: &[String]) -> Result<CenterKey> {
    let current = current(desk.conn())?.ok_or(Error::Sync(SyncError::NoCenterKeyHere))?;
    let new = CenterKey::generate();
    // Signed with the key it replaces; the grants after it with the new one, which the hub
    // checks the center's acts against from then on.
    hub.sign_with(Some(current.clone()));
    if hub.claim_key(&new, Some(current.id()))?.is_none() {
        return Err(Error::Sync(SyncError::HubAnswerNotUnderstood {
            reason: "another desk changed the center's key at the same time".into(),
        }));
    }
    desk.write_unrecorded(|tx, now| {
        seal_with(tx, &new, now)?;
        state::set(tx, RECOVERY_SHEET_WAITING, new.id())
    })?;
    let keys = ring(desk.conn())?;
    let own = state::get(desk.conn(), state::DEVICE_ID)?.unwrap_or_default();
    let desks: Vec<(String, String)> = {
        let mut statement = desk.conn().prepare("SELECT id, public_key FROM desk_keys ORDER BY id")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut grants = Vec::new();
    for (device_id, public_key) in desks {
        if device_id != own && still_enrolled.contains(&device_id) {
            let proof = grant_proof(&current, &device_id, &keys);
            grants.push(KeyGrant { sealed_keys: seal_keys_to(&public_key, &keys, Some(proof))?, device_id });
        }
    }
    hub.sign_with(Some(new.clone()));
    hub.grant_keys(new.id(), grants)?;
    Ok(new)
}

/// Asks to join, or sees whether the desk was let in.
fn join(desk: &mut Desk, hub: &HubClient, key_id: &str) -> Result<CenterKey> {
    let secret = join_secret(desk.conn())?;
    if let (Some(secret), Some(request_id)) = (&secret, state::get(desk.conn(), JOIN_REQUEST_ID)?) {
        let public_key = public_key_text(secret);
        match hub.join_request(&request_id)? {
            Some(JoinRequest { sealed_keys: None, public_key: asked, .. }) if asked == public_key => {
                return Err(Error::Sync(SyncError::WaitingToJoin { code: join_code(&public_key) }));
            }
            Some(JoinRequest { sealed_keys: Some(sealed), public_key: asked, .. }) if asked == public_key => {
                let keys = open_keys(secret, &sealed, None)?;
                let current = keys.iter().find(|key| key.id() == key_id).cloned();
                desk.write_unrecorded(|tx, now| {
                    keys.iter().try_for_each(|key| hold(tx, key, now))?;
                    if let Some(key) = &current {
                        seal_with(tx, key, now)?;
                    }
                    forget_join(tx)
                })?;
                if let Some(key) = current {
                    return Ok(key);
                }
                // Let in with the keys from before a rotation: ask again for the new one.
            }
            // The hub no longer has the request (or it is not this key pair's): ask again.
            _ => {}
        }
    }
    let secret = secret.unwrap_or_else(|| SecretKey::generate(&mut OsRng));
    let public_key = public_key_text(&secret);
    let request = hub.ask_to_join(&public_key)?;
    desk.write_unrecorded(|tx, _| {
        state::set(tx, JOIN_SECRET, &URL_SAFE_NO_PAD.encode(secret.to_bytes()))?;
        state::set(tx, JOIN_REQUEST_ID, &request.request_id)
    })?;
    Err(Error::Sync(SyncError::WaitingToJoin { code: join_code(&public_key) }))
}

/// The desk leaves its hub: it keeps its keys (its center's records stay readable to it), and
/// learns the center's current key again from whichever hub it joins next.
pub(crate) fn forget_hub(conn: &Connection) -> Result<()> {
    state::remove(conn, CENTER_KEY_ID)?;
    state::remove(conn, JOIN_REQUESTS)?;
    forget_join(conn)
}

fn forget_join(conn: &Connection) -> Result<()> {
    state::remove(conn, JOIN_SECRET)?;
    state::remove(conn, JOIN_REQUEST_ID)
}

fn join_secret(conn: &Connection) -> Result<Option<SecretKey>> {
    secret_in(conn, JOIN_SECRET)
}

fn secret_in(conn: &Connection, name: &str) -> Result<Option<SecretKey>> {
    Ok(state::get(conn, name)?
        .and_then(|text| URL_SAFE_NO_PAD.decode(text).ok())
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .map(SecretKey::from_bytes))
}

fn public_key_text(secret: &SecretKey) -> String {
    URL_SAFE_NO_PAD.encode(secret.public_key().as_bytes())
}

/// The code both screens show for a join, worked out from the asking desk's public key: 20
/// digits (66 bits) in five groups, to read aloud. A hub that puts in a key of its own must find
/// one with the same code, about 2^65 tries, where six digits took it 17 seconds.
fn join_code(public_key: &str) -> String {
    let digest = Sha256::new().chain_update(b"porchlight join code\0").chain_update(public_key).finalize();
    let mut first = [0u8; 16];
    first[7..].copy_from_slice(&digest[..9]);
    let digits = format!("{:020}", u128::from_be_bytes(first) % 10u128.pow(20));
    let groups: Vec<&str> = (0..5).map(|group| &digits[group * 4..group * 4 + 4]).collect();
    groups.join(" ")
}

/// The code this desk shows while it waits to be let in.
pub(crate) fn waiting_code(conn: &Connection) -> Result<Option<String>> {
    if state::get(conn, JOIN_REQUEST_ID)?.is_none() {
        return Ok(None);
    }
    Ok(join_secret(conn)?.map(|secret| join_code(&public_key_text(&secret))))
}

/// What is sealed to a joining desk, or to a desk after a change of key: the center's keys,
/// newest first, and for a change of key the proof that a holder of the key it replaces sent them.
#[derive(Serialize, Deserialize)]
struct KeysForDesk {
    keys: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proof: Option<String>,
}

const GRANT_PROOF: &str = "porchlight/pa2 key grant";

fn grant_message(device_id: &str, keys: &[CenterKey]) -> Vec<u8> {
    let ids: Vec<&str> = keys.iter().map(CenterKey::id).collect();
    format!("{device_id}\0{}", ids.join("\0")).into_bytes()
}

/// The proof, made with the key being replaced, that these keys are the center's for that desk.
fn grant_proof(replaced: &CenterKey, device_id: &str, keys: &[CenterKey]) -> String {
    format!("{}.{}", replaced.id(), URL_SAFE_NO_PAD.encode(replaced.tag(GRANT_PROOF, &grant_message(device_id, keys))))
}

fn seal_keys_to(public_key: &str, keys: &[CenterKey], proof: Option<String>) -> Result<String> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD
        .decode(public_key)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(Error::Sync(SyncError::JoinRequestGone))?;
    let message = KeysForDesk { keys: keys.iter().map(|key| URL_SAFE_NO_PAD.encode(key.bytes())).collect(), proof };
    let plaintext = serde_json::to_vec(&message).expect("names serialise");
    let sealed =
        PublicKey::from(bytes).seal(&mut OsRng, &plaintext).map_err(|_| Error::Sync(SyncError::JoinRequestGone))?;
    Ok(URL_SAFE_NO_PAD.encode(sealed))
}

/// The keys sealed to this desk. With `proven_by` (the keys the desk holds, and its id), only
/// keys whose proof one of those verifies.
fn open_keys(secret: &SecretKey, sealed: &str, proven_by: Option<(&[CenterKey], &str)>) -> Result<Vec<CenterKey>> {
    let unreadable = || Error::Sync(SyncError::JoinKeysUnreadable);
    let sealed = URL_SAFE_NO_PAD.decode(sealed).map_err(|_| unreadable())?;
    let plaintext = secret.unseal(&sealed).map_err(|_| unreadable())?;
    let message: KeysForDesk = serde_json::from_slice(&plaintext).map_err(|_| unreadable())?;
    let keys = message
        .keys
        .iter()
        .map(|text| {
            let bytes: [u8; KEY_BYTES] =
                URL_SAFE_NO_PAD.decode(text).ok().and_then(|bytes| bytes.try_into().ok()).ok_or_else(unreadable)?;
            Ok(CenterKey::from_bytes(bytes))
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some((held, device_id)) = proven_by {
        let (key_id, tag) = message.proof.as_deref().and_then(|proof| proof.split_once('.')).ok_or_else(unreadable)?;
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| unreadable())?;
        let prover = held.iter().find(|key| key.id() == key_id).ok_or_else(unreadable)?;
        if !prover.verifies(GRANT_PROOF, &grant_message(device_id, &keys), &tag) {
            return Err(unreadable());
        }
    }
    Ok(keys)
}

/// Keeps the hub's list of desks waiting to join, for admins to see without asking the hub.
pub(crate) fn note_join_requests(desk: &mut Desk, hub: &HubClient) -> Result<()> {
    note_join_requests_waiting(desk, hub, None)
}

/// [`note_join_requests`], asking the hub for them only when `waiting` (how many the hub said
/// wait; `None` from an older hub that does not say) is more than none: an idle sync asks
/// nothing more, and writes nothing when the list stands as noted.
pub(crate) fn note_join_requests_waiting(desk: &mut Desk, hub: &HubClient, waiting: Option<u64>) -> Result<()> {
    let requests = match waiting {
        Some(0) => Vec::new(),
        _ => hub.join_requests()?,
    };
    if noted_join_requests(desk.conn())? == requests {
        return Ok(());
    }
    desk.write_unrecorded(|tx, _| note_these_join_requests(tx, &requests))
}

fn note_these_join_requests(tx: &Transaction, requests: &[JoinRequest]) -> Result<()> {
    state::set(tx, JOIN_REQUESTS, &serde_json::to_string(requests).expect("requests serialise"))
}

fn noted_join_requests(conn: &Connection) -> Result<Vec<JoinRequest>> {
    Ok(state::get(conn, JOIN_REQUESTS)?.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default())
}

/// Desks waiting to be let in, each with the code it shows.
pub(crate) fn join_asks(conn: &Connection) -> Result<Vec<JoinAsk>> {
    Ok(noted_join_requests(conn)?
        .into_iter()
        .map(|request| JoinAsk {
            code: join_code(&request.public_key),
            requested_at: Timestamp::parse(&request.requested_at),
            request_id: request.request_id,
            desk_name: request.desk_name,
        })
        .collect())
}

/// Lets a waiting desk in: the center's keys, sealed to the public key whose code the admin
/// compared. Returns the desk's name.
pub(crate) fn let_in(desk: &mut Desk, hub: &HubClient, request_id: &str) -> Result<String> {
    let request = noted_join_requests(desk.conn())?
        .into_iter()
        .find(|request| request.request_id == request_id)
        .ok_or(Error::Sync(SyncError::JoinRequestGone))?;
    let keys = ring(desk.conn())?;
    if keys.is_empty() {
        return Err(Error::Sync(SyncError::NoCenterKeyHere));
    }
    let sealed = seal_keys_to(&request.public_key, &keys, None)?;
    hub.approve(request_id, &sealed)?;
    desk.write_unrecorded(|tx, _| {
        let waiting: Vec<JoinRequest> =
            noted_join_requests(tx)?.into_iter().filter(|other| other.request_id != request_id).collect();
        note_these_join_requests(tx, &waiting)
    })?;
    Ok(request.desk_name)
}

/// The key written on a recovery sheet, or why these words are not one.
pub(crate) fn from_words(words: &str) -> Result<CenterKey> {
    CenterKey::from_words(words).map_err(|err| Error::Sync(SyncError::NotRecoveryWords { reason: err.to_string() }))
}

/// Whether `words` are the recovery words of a key this desk holds: how someone who cannot
/// sign in shows that they speak for the center.
pub(crate) fn words_of_a_held_key(conn: &Connection, words: &str) -> Result<()> {
    let ring = ring(conn)?;
    if ring.is_empty() {
        return Err(Error::Sync(SyncError::NoRecoveryWordsHere));
    }
    let key = from_words(words)?;
    if ring.iter().any(|held| held.id() == key.id()) {
        Ok(())
    } else {
        Err(Error::Sync(SyncError::RecoveryWordsOfAnotherKey))
    }
}

/// The key from the recovery words, checked against the key the desk's center seals with,
/// becomes this desk's key.
pub(crate) fn recover(desk: &mut Desk, hub: &HubClient, key: CenterKey) -> Result<()> {
    match hub.center()?.0.key_id {
        Some(key_id) if key_id == key.id() => {}
        Some(_) => return Err(Error::Sync(SyncError::RecoveryWordsOfAnotherKey)),
        None => {
            // The hub was set up again and knows no key yet: the words become the center's.
            if hub.claim_key(&key, None)?.is_none() {
                return Err(Error::Sync(SyncError::RecoveryWordsOfAnotherKey));
            }
        }
    }
    if let Some(request_id) = state::get(desk.conn(), JOIN_REQUEST_ID)? {
        hub.withdraw_join_request(&request_id)?;
    }
    desk.write_unrecorded(|tx, now| {
        seal_with(tx, &key, now)?;
        forget_join(tx)
    })
}

/// The recovery words of the key this desk made, until an admin says they are written down.
pub(crate) fn recovery_sheet(conn: &Connection) -> Result<Option<Vec<String>>> {
    let Some(id) = state::get(conn, RECOVERY_SHEET_WAITING)? else { return Ok(None) };
    Ok(ring(conn)?.into_iter().find(|key| key.id() == id).map(|key| key.words()))
}

pub(crate) fn recovery_sheet_waiting(conn: &Connection) -> Result<bool> {
    Ok(state::get(conn, RECOVERY_SHEET_WAITING)?.is_some())
}

pub(crate) fn recovery_sheet_written(tx: &Transaction) -> Result<()> {
    state::remove(tx, RECOVERY_SHEET_WAITING)
}

/// The changes as the hub is to hold them, pushed by the desk `device_id`: each value sealed in
/// its place with `key`, and each change proven.
pub(crate) fn sealed(key: &CenterKey, device_id: &str, changes: Vec<Change>) -> Vec<Change> {
    let mut sealer = seal::Sealer::new(key);
    changes
        .into_iter()
        .map(|mut change| {
            sealer.seal_change(device_id, &mut change);
            change
        })
        .collect()
}

/// Each change of the page with its values opened, and apart, those not to apply and why: a
/// change no holder of the center's key proved, or a value that does not open in its place
/// (however far ahead its stamp: every desk takes in the same changes). A desk holding the center's key takes
/// nothing readable or unproven from the hub; a desk without a key (one never connected to a
/// sealing center) takes values as they are. This desk's own changes coming back are passed
/// over unopened: they are not applied again.
pub(crate) fn opened<'a>(
    ring: &[CenterKey],
    own_device: &str,
    changes: &'a [PulledChange],
) -> (Vec<PulledChange>, Vec<(&'a PulledChange, SealError)>) {
    let mut opened = Vec::with_capacity(changes.len());
    let mut unopened = Vec::new();
    for change in changes {
        if change.device_id == own_device {
            opened.push(change.clone());
            continue;
        }
        if ring.is_empty() {
            // A desk that never held a key takes readable changes as they are, and waits for
            // the key of any sealed one.
            let sealed_with = change.auth.as_deref().and_then(porchlight_protocol::auth_key_id).or_else(|| {
                change.fields.values().find_map(|value| {
                    let text = value.as_str()?;
                    porchlight_protocol::sealed_with(value)
                        .or_else(|| porchlight_protocol::sealed::earlier_sealed_text_with(text))
                })
            });
            match sealed_with {
                Some(key_id) => unopened.push((change, SealError::UnknownKey(key_id.to_owned()))),
                None => opened.push(change.clone()),
            }
            continue;
        }
        match seal::open_change(ring, change) {
            Ok(fields) => opened.push(PulledChange { fields, ..change.clone() }),
            Err(err) => unopened.push((change, err)),
        }
    }
    (opened, unopened)
}

/// A change that did not open waits here, as it came, until the desk holds its key.
pub(crate) fn keep_aside(tx: &Transaction, change: &PulledChange, why: &SealError, now: Timestamp) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_unopened (seq, change, reason, received_at, waiting) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (seq) DO UPDATE SET change = excluded.change, reason = excluded.reason,
                                          waiting = excluded.waiting",
    )?
    .execute(params![
        change.seq as i64,
        serde_json::to_string(change).expect("a change serialises"),
        why.to_string(),
        now.to_string(),
        why.may_open_later()
    ])?;
    Ok(())
}

/// A change from the hub that this desk keeps aside, as the window reports it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SetAsideChange {
    /// The hub's number for it.
    #[ts(type = "number")]
    pub seq: u64,
    /// The desk the hub says sent it, and its name when a desk of the center named itself so.
    pub device_id: String,
    pub desk_name: Option<String>,
    /// The record type it claims to change.
    pub entity: String,
    pub received_at: Option<Timestamp>,
    pub reason: String,
    /// It may yet be applied (its key may arrive, or this desk's clock reach its stamp); if not,
    /// it never will be.
    pub waiting: bool,
}

/// The changes kept aside, newest first, at most `limit`.
pub(crate) fn set_aside(conn: &Connection, limit: usize) -> Result<Vec<SetAsideChange>> {
    let mut statement = conn.prepare_cached(
        "SELECT u.seq, json_extract(u.change, '$.device_id'), k.desk_name, json_extract(u.change, '$.entity'),
                u.received_at, u.reason, u.waiting
         FROM sync_unopened u LEFT JOIN desk_keys k ON k.id = json_extract(u.change, '$.device_id')
         ORDER BY u.seq DESC LIMIT ?1",
    )?;
    let rows = statement.query_map([limit as i64], |row| {
        Ok(SetAsideChange {
            seq: row.get::<_, i64>(0)? as u64,
            device_id: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
            desk_name: row.get(2)?,
            entity: row.get::<_, Option<String>>(3)?.unwrap_or_default(),
            received_at: row.get::<_, Option<String>>(4)?.as_deref().and_then(Timestamp::parse),
            reason: row.get(5)?,
            waiting: row.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Changes kept aside that may yet be applied, oldest first.
pub(crate) fn kept_aside(conn: &Connection) -> Result<Vec<PulledChange>> {
    let mut statement = conn.prepare_cached("SELECT change FROM sync_unopened WHERE waiting = 1 ORDER BY seq")?;
    let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
    let mut changes = Vec::new();
    for text in rows {
        if let Ok(change) = serde_json::from_str(&text?) {
            changes.push(change);
        }
    }
    Ok(changes)
}

pub(crate) fn no_longer_aside(tx: &Transaction, changes: &[PulledChange]) -> Result<()> {
    let mut delete = tx.prepare_cached("DELETE FROM sync_unopened WHERE seq = ?1")?;
    for change in changes {
        delete.execute([change.seq as i64])?;
    }
    Ok(())
}

pub(crate) fn count_aside(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM sync_unopened", [], |row| row.get::<_, i64>(0))? as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_words_of_a_key_this_desk_holds_show_that_someone_speaks_for_the_center() {
        let mut desk = crate::testkit::desk_at("2026-11-23T15:00:00Z");
        let (held, other) = (CenterKey::generate(), CenterKey::generate());
        let words = |key: &CenterKey| key.words().join(" ");
        assert!(matches!(
            words_of_a_held_key(desk.conn(), &words(&held)),
            Err(Error::Sync(SyncError::NoRecoveryWordsHere))
        ));
        hold_for_test(&mut desk, &held).unwrap();
        words_of_a_held_key(desk.conn(), &words(&held)).expect("the held key's words");
        assert!(matches!(
            words_of_a_held_key(desk.conn(), &words(&other)),
            Err(Error::Sync(SyncError::RecoveryWordsOfAnotherKey))
        ));
        assert!(matches!(
            words_of_a_held_key(desk.conn(), "porch light"),
            Err(Error::Sync(SyncError::NotRecoveryWords { .. }))
        ));
    }

    #[test]
    fn a_desk_takes_a_new_key_only_when_a_key_it_holds_proves_the_grant() {
        let desk = SecretKey::generate(&mut OsRng);
        let (held, new, rogue) = (CenterKey::generate(), CenterKey::generate(), CenterKey::generate());
        let public_key = public_key_text(&desk);
        let ring = [held.clone()];
        let honest = seal_keys_to(
            &public_key,
            &[new.clone(), held.clone()],
            Some(grant_proof(&held, "d1", &[new.clone(), held.clone()])),
        )
        .unwrap();
        assert_eq!(open_keys(&desk, &honest, Some((&ring, "d1"))).unwrap()[0].id(), new.id());
        // The hub (or a desk without the key) seals a key of its own to the desk's public key.
        let unproven = seal_keys_to(&public_key, &[rogue.clone()], None).unwrap();
        let self_proven =
            seal_keys_to(&public_key, &[rogue.clone()], Some(grant_proof(&rogue, "d1", &[rogue.clone()]))).unwrap();
        let for_another =
            seal_keys_to(&public_key, &[new.clone()], Some(grant_proof(&held, "d2", &[new.clone()]))).unwrap();
        for forged in [unproven, self_proven, for_another] {
            assert!(matches!(
                open_keys(&desk, &forged, Some((&ring, "d1"))),
                Err(Error::Sync(SyncError::JoinKeysUnreadable))
            ));
        }
    }

    #[test]
    fn only_the_asking_desks_secret_opens_the_keys_sealed_to_it_and_both_sides_show_one_code() {
        let (asking, other) = (SecretKey::generate(&mut OsRng), SecretKey::generate(&mut OsRng));
        let keys = [CenterKey::generate(), CenterKey::generate()];
        let public_key = public_key_text(&asking);
        let sealed = seal_keys_to(&public_key, &keys, None).unwrap();
        let opened = open_keys(&asking, &sealed, None).unwrap();
        assert_eq!(
            opened.iter().map(CenterKey::id).collect::<Vec<_>>(),
            keys.iter().map(CenterKey::id).collect::<Vec<_>>()
        );
        assert!(matches!(open_keys(&other, &sealed, None), Err(Error::Sync(SyncError::JoinKeysUnreadable))));

        let code = join_code(&public_key);
        assert!(code.len() == 24 && code.split(' ').all(|group| group.len() == 4), "{code}");
        assert_ne!(code, join_code(&public_key_text(&other)), "another key pair shows another code");
    }
}
