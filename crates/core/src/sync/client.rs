//! Talking to porchlight-hub over HTTP. Blocking, so core stays free of an async runtime; the
//! shell calls it on a worker thread.

use std::sync::Arc;
use std::time::Duration;

use porchlight_protocol::{
    Approval, AskToJoin, CenterDevice, CenterDevices, CenterInfo, Change, ClaimKey, EnrollRequest, EnrollResponse,
    ErrorBody, HistoryStaged, JoinRequest, JoinRequests, KeyGrant, KeyGrants, KeyVerifier, MonthFigures, MyKeyGrant,
    MyKeyGrants, PullResponse, PushRequest, PushResponse, SealedChange, SealedHistory,
};
use serde::de::DeserializeOwned;
use ureq::http::Response;
use ureq::tls::{PemItem, RootCerts, TlsConfig};

use super::seal::CenterKey;
use super::state;
use crate::sync::error::SyncError;
use crate::{Error, Result, Timestamp};

/// A request's body as it is sent, and signed.
fn json(body: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(body).expect("requests serialise")
}

/// A pull page can hold 5000 changes of a few kilobytes each.
const MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;

pub(crate) struct HubClient {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
    /// The center key whose signing key signs the acts this desk asks of the hub; none while the
    /// desk holds no key.
    signer: Option<CenterKey>,
}

/// How far a desk trusts the road to its hub: which certificate authorities may vouch for the
/// hub (public ones by default), and whether plain HTTP beyond this computer is allowed.
pub(crate) struct HubTrust {
    certificate_pem: Option<String>,
    allow_plain_http: bool,
}

impl HubTrust {
    pub fn new(certificate_pem: Option<&str>, allow_plain_http: bool) -> Result<HubTrust> {
        let certificate_pem = certificate_pem.map(str::trim).filter(|pem| !pem.is_empty());
        if certificate_pem.is_some_and(|pem| pem.contains("PRIVATE KEY-----")) {
            return Err(Error::Sync(SyncError::HubKeyGivenToDesk));
        }
        let certificate_pem = certificate_pem.map(reflowed_pem);
        let trust = HubTrust { certificate_pem, allow_plain_http };
        trust.root_certificates()?;
        Ok(trust)
    }

    pub fn load(conn: &rusqlite::Connection) -> Result<HubTrust> {
        let certificate_pem = state::get(conn, state::HUB_CERTIFICATE)?;
        let allow_plain_http = state::get(conn, state::ALLOW_PLAIN_HTTP)?.is_some();
        HubTrust::new(certificate_pem.as_deref(), allow_plain_http)
    }

    pub fn save(&self, conn: &rusqlite::Connection) -> Result<()> {
        HubTrust::forget(conn)?;
        if let Some(pem) = &self.certificate_pem {
            state::set(conn, state::HUB_CERTIFICATE, pem)?;
        }
        if self.allow_plain_http {
            state::set(conn, state::ALLOW_PLAIN_HTTP, "yes")?;
        }
        Ok(())
    }

    pub fn forget(conn: &rusqlite::Connection) -> Result<()> {
        state::remove(conn, state::HUB_CERTIFICATE)?;
        state::remove(conn, state::ALLOW_PLAIN_HTTP)
    }

    /// Refuses plain HTTP to a hub on another computer unless the center allowed it: the
    /// records are about people's recovery and would cross the network readable.
    pub fn check(&self, hub_url: &str) -> Result<()> {
        let uri: ureq::http::Uri = hub_url.parse().map_err(|_| Error::Sync(SyncError::InvalidHubUrl))?;
        let plain = uri.scheme_str() == Some("http");
        if plain && !self.allow_plain_http && !is_loopback(uri.host().unwrap_or_default()) {
            return Err(Error::Sync(SyncError::PlainHttpRefused));
        }
        Ok(())
    }

    fn root_certificates(&self) -> Result<RootCerts> {
        let Some(pem) = &self.certificate_pem else { return Ok(RootCerts::WebPki) };
        let mut certificates = Vec::new();
        for item in ureq::tls::parse_pem(pem.as_bytes()) {
            if let Ok(PemItem::Certificate(certificate)) = item {
                certificates.push(certificate);
            } else {
                return Err(Error::Sync(SyncError::InvalidHubCertificate));
            }
        }
        if certificates.is_empty() {
            return Err(Error::Sync(SyncError::InvalidHubCertificate));
        }
        Ok(RootCerts::Specific(Arc::new(certificates)))
    }
}

/// Certificates pasted from an email or a chat often lose their line breaks or gain spaces;
/// the base64 inside is what matters, so it is laid out again as PEM expects. Text around the
/// certificates (`openssl x509 -text` prints some) is left out.
fn reflowed_pem(text: &str) -> String {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut reflowed = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let after_begin = &rest[start + BEGIN.len()..];
        let Some(end) = after_begin.find(END) else { break };
        let base64: String = after_begin[..end].chars().filter(|c| !c.is_whitespace()).collect();
        reflowed.push_str(BEGIN);
        reflowed.push('\n');
        for line in base64.as_bytes().chunks(64) {
            reflowed.push_str(std::str::from_utf8(line).unwrap_or_default());
            reflowed.push('\n');
        }
        reflowed.push_str(END);
        reflowed.push('\n');
        rest = &after_begin[end + END.len()..];
    }
    if reflowed.is_empty() {
        return text.to_owned();
    }
    reflowed
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl HubClient {
    pub fn new(hub_url: &str, token: Option<&str>, trust: &HubTrust) -> Result<HubClient> {
        let tls = TlsConfig::builder().root_certs(trust.root_certificates()?).build();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .tls_config(tls)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(120)))
            // The hub closes a connection left idle for 10 seconds; the desk lets go of it first.
            .max_idle_age(Duration::from_secs(5))
            .build()
            .into();
        Ok(HubClient {
            base: hub_url.trim_end_matches('/').to_owned(),
            token: token.map(str::to_owned),
            agent,
            signer: None,
        })
    }

    /// Signs the acts asked from now on with `key`'s signing key (the key the hub names now).
    pub fn sign_with(&mut self, key: Option<CenterKey>) {
        self.signer = key;
    }

    /// An act for the center: `body` sent as JSON, signed with the center's signing key when this
    /// client holds one (the hub refuses an unsigned act once it knows the center's verifier).
    fn act(
        &self,
        request: ureq::RequestBuilder<ureq::typestate::WithBody>,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> std::result::Result<Response<ureq::Body>, ureq::Error> {
        self.act_signed_by(self.signer.as_ref(), request, method, path, body)
    }

    /// [`HubClient::act`], signed with `signer`'s signing key rather than this client's.
    fn act_signed_by(
        &self,
        signer: Option<&CenterKey>,
        request: ureq::RequestBuilder<ureq::typestate::WithBody>,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> std::result::Result<Response<ureq::Body>, ureq::Error> {
        let mut request = self.authorised(request).header("Content-Type", "application/json");
        if let Some(key) = signer {
            request = request.header(porchlight_protocol::acts::SIGNATURE_HEADER, key.sign_act(method, path, body));
        }
        request.send(body)
    }

    /// Registers the verifying half of `key`'s signing key, for a center named by an older
    /// desk; whether the hub keeps it (false: it keeps another).
    pub fn register_verifier(&self, key: &CenterKey) -> Result<bool> {
        let path = "/v1/center/verifier";
        let body = json(&KeyVerifier { key_id: key.id().to_owned(), verifying_key: key.verifying_key() });
        let request = self.agent.post(format!("{}{path}", self.base));
        match self.answer::<CenterInfo>(self.act_signed_by(Some(key), request, "POST", path, &body), |_| {
            Error::Sync(SyncError::NotAuthorised)
        }) {
            Err(Error::Sync(SyncError::HubRefused { status: 409, .. })) => Ok(false),
            answered => answered.map(|_| true),
        }
    }

    pub fn enroll(&self, name: &str, enrollment_code: &str) -> Result<EnrollResponse> {
        let body = EnrollRequest { name: name.to_owned(), enrollment_code: enrollment_code.to_owned() };
        let response = self.agent.post(format!("{}/v1/devices", self.base)).send_json(&body);
        let (enrolled, _) = self.answer(response, |message| Error::Sync(SyncError::EnrollmentRefused { message }))?;
        Ok(enrolled)
    }

    /// Pushes a batch; also returns the hub's clock reading, from its `Date` header.
    pub fn push(&self, changes: &[Change]) -> Result<(PushResponse, Option<Timestamp>)> {
        let body = PushRequest { changes: changes.to_vec() };
        let response = self.authorised(self.agent.post(format!("{}/v1/changes", self.base))).send_json(&body);
        self.answer(response, |_| Error::Sync(SyncError::NotAuthorised))
    }

    pub fn pull(&self, since: u64, limit: u32) -> Result<PullResponse> {
        let url = format!("{}/v1/changes?since={since}&limit={limit}", self.base);
        let response = self.authorised(self.agent.get(url)).call();
        Ok(self.answer(response, |_| Error::Sync(SyncError::NotAuthorised))?.0)
    }

    /// The desk's center, the id of the key it seals with and (from a hub of this version)
    /// where its log stands and how many desks wait to join; also the hub's clock reading.
    pub fn center(&self) -> Result<(CenterInfo, Option<Timestamp>)> {
        let response = self.authorised(self.agent.get(format!("{}/v1/center", self.base))).call();
        match self.answer(response, |_| Error::Sync(SyncError::NotAuthorised)) {
            Err(Error::Sync(SyncError::HubRefused { status: 404, .. })) => {
                Err(Error::Sync(SyncError::HubTooOld { url: self.base.clone() }))
            }
            answered => answered,
        }
    }

    /// Names the key this desk made as its center's; `None` when another desk's came first.
    pub fn claim_key(&self, key: &CenterKey, previous: Option<&str>) -> Result<Option<CenterInfo>> {
        let path = "/v1/center/key";
        let body = json(&ClaimKey {
            key_id: key.id().to_owned(),
            previous: previous.map(str::to_owned),
            verifying_key: Some(key.verifying_key()),
        });
        let response = self.act(self.agent.post(format!("{}{path}", self.base)), "POST", path, &body);
        match self.answer(response, |_| Error::Sync(SyncError::NotAuthorised)) {
            Err(Error::Sync(SyncError::HubRefused { status: 409, .. })) => Ok(None),
            answered => Ok(Some(answered?.0)),
        }
    }

    pub fn ask_to_join(&self, public_key: &str) -> Result<JoinRequest> {
        let body = AskToJoin { public_key: public_key.to_owned() };
        let response = self.authorised(self.agent.post(format!("{}/v1/join-requests", self.base))).send_json(&body);
        Ok(self.answer(response, |_| Error::Sync(SyncError::NotAuthorised))?.0)
    }

    /// This desk's request to join; `None` if the hub no longer has it.
    pub fn join_request(&self, request_id: &str) -> Result<Option<JoinRequest>> {
        let response = self.authorised(self.agent.get(format!("{}/v1/join-requests/{request_id}", self.base))).call();
        match self.answer(response, |_| Error::Sync(SyncError::NotAuthorised)) {
            Err(Error::Sync(SyncError::HubRefused { status: 404, .. })) => Ok(None),
            answered => Ok(Some(answered?.0)),
        }
    }

    /// This desk no longer asks to join; a request the hub no longer has is fine.
    pub fn withdraw_join_request(&self, request_id: &str) -> Result<()> {
        let url = format!("{}/v1/join-requests/{request_id}", self.base);
        match self.answer_empty(self.authorised(self.agent.delete(url)).call()) {
            Err(Error::Sync(SyncError::HubRefused { status: 404, .. })) => Ok(()),
            answered => answered,
        }
    }

    /// Desks of the center waiting to be let in.
    pub fn join_requests(&self) -> Result<Vec<JoinRequest>> {
        let response = self.authorised(self.agent.get(format!("{}/v1/join-requests", self.base))).call();
        Ok(self.answer::<JoinRequests>(response, |_| Error::Sync(SyncError::NotAuthorised))?.0.requests)
    }

    /// Lets a waiting desk in with the keys sealed to it. `false` if another desk already did.
    pub fn approve(&self, request_id: &str, sealed_keys: &str) -> Result<bool> {
        let body = json(&Approval { sealed_keys: sealed_keys.to_owned() });
        let path = format!("/v1/join-requests/{request_id}/approval");
        let response = self.act(self.agent.post(format!("{}{path}", self.base)), "POST", &path, &body);
        match self.answer::<JoinRequest>(response, |_| Error::Sync(SyncError::NotAuthorised)) {
            Err(Error::Sync(SyncError::HubRefused { status: 409, .. })) => Ok(false),
            Err(Error::Sync(SyncError::HubRefused { status: 404, .. })) => Err(Error::Sync(SyncError::JoinRequestGone)),
            answered => answered.map(|_| true),
        }
    }

    /// The desks of this center, revoked ones included.
    pub fn center_devices(&self) -> Result<Vec<CenterDevice>> {
        let response = self.authorised(self.agent.get(format!("{}/v1/devices", self.base))).call();
        Ok(self.answer::<CenterDevices>(response, |_| Error::Sync(SyncError::NotAuthorised))?.0.devices)
    }

    pub fn revoke_device(&self, device_id: &str) -> Result<()> {
        let path = format!("/v1/devices/{device_id}/revocation");
        let response = self.act(self.agent.post(format!("{}{path}", self.base)), "POST", &path, b"");
        self.answer_empty(response)
    }

    pub fn grant_keys(&self, key_id: &str, grants: Vec<KeyGrant>) -> Result<()> {
        let body = json(&KeyGrants { key_id: key_id.to_owned(), grants });
        let path = "/v1/key-grants";
        let response = self.act(self.agent.post(format!("{}{path}", self.base)), "POST", path, &body);
        self.answer_empty(response)
    }

    pub fn my_key_grants(&self) -> Result<Vec<MyKeyGrant>> {
        let response = self.authorised(self.agent.get(format!("{}/v1/key-grants", self.base))).call();
        Ok(self.answer::<MyKeyGrants>(response, |_| Error::Sync(SyncError::NotAuthorised))?.0.grants)
    }

    /// Publishes the center's figures for a month; `false` when the hub does not take figures
    /// (one older than this desk).
    pub fn publish_figures(&self, figures: &MonthFigures) -> Result<bool> {
        let path = format!("/v1/figures/{}", figures.month);
        let response = self.act(self.agent.put(format!("{}{path}", self.base)), "PUT", &path, &json(figures));
        match self.answer_empty(response) {
            Ok(()) => Ok(true),
            Err(Error::Sync(SyncError::HubRefused { status: 404, .. })) => Ok(false),
            Err(err) => Err(err),
        }
    }

    /// An answer with no body (204): only its status counts.
    fn answer_empty(&self, response: std::result::Result<Response<ureq::Body>, ureq::Error>) -> Result<()> {
        match self.answer::<serde_json::Value>(response, |_| Error::Sync(SyncError::NotAuthorised)) {
            Err(Error::Sync(SyncError::HubAnswerNotUnderstood { .. })) | Ok(_) => Ok(()),
            Err(err) => Err(err),
        }
    }

    /// Sends a page of the sealed copy of the center's readable history.
    pub fn stage_sealed_history(&self, changes: Vec<SealedChange>) -> Result<HistoryStaged> {
        let body = json(&SealedHistory { changes });
        let path = "/v1/sealed-history";
        let response = self.act(self.agent.post(format!("{}{path}", self.base)), "POST", path, &body);
        Ok(self.answer(response, |_| Error::Sync(SyncError::NotAuthorised))?.0)
    }

    /// The sealed copy replaces the readable history, all at once.
    pub fn commit_sealed_history(&self) -> Result<CenterInfo> {
        let path = "/v1/sealed-history/commit";
        let response = self.act(self.agent.post(format!("{}{path}", self.base)), "POST", path, b"");
        Ok(self.answer(response, |_| Error::Sync(SyncError::NotAuthorised))?.0)
    }

    /// Pushes the batches `next` reads, in order, on a second thread: while the hub stores one
    /// batch the desk takes in the answer to the batch before and reads the batch after.
    /// `answered` sees each answer in the order the batches went.
    pub fn push_all<D>(
        &self,
        desk: &mut D,
        mut next: impl FnMut(&mut D) -> Result<Vec<Change>>,
        mut answered: impl FnMut(&mut D, &[Change], PushResponse) -> Result<()>,
    ) -> Result<()> {
        std::thread::scope(|scope| {
            let (to_hub, batches) = std::sync::mpsc::sync_channel::<Vec<Change>>(1);
            let (answer, answers) = std::sync::mpsc::channel();
            scope.spawn(move || {
                for batch in batches {
                    let pushed = self.push(&batch).map(|(pushed, _)| pushed);
                    let failed = pushed.is_err();
                    if answer.send((batch, pushed)).is_err() || failed {
                        return;
                    }
                }
            });
            let mut in_flight = 0;
            let mut more = true;
            loop {
                while more && in_flight < 2 {
                    let batch = next(desk)?;
                    // The pushing thread stops after a failed push; its answer is on its way.
                    more = !batch.is_empty() && to_hub.send(batch).is_ok();
                    if more {
                        in_flight += 1;
                    }
                }
                if in_flight == 0 {
                    return Ok(());
                }
                let (batch, pushed) = answers.recv().expect("the pushing thread answers every batch it takes");
                in_flight -= 1;
                answered(desk, &batch, pushed?)?;
            }
        })
    }

    /// Pulls every page after `since` in order, fetching the next page on a second thread
    /// while `apply` writes the one before: a long history arrives while the desk is busy.
    pub fn pull_all(&self, since: u64, limit: u32, mut apply: impl FnMut(PullResponse) -> Result<()>) -> Result<()> {
        std::thread::scope(|scope| {
            let (sender, pages) = std::sync::mpsc::sync_channel(1);
            scope.spawn(move || {
                let mut since = since;
                loop {
                    let page = self.pull(since, limit);
                    let next = page.as_ref().ok().filter(|page| page.has_more).map(|page| page.next);
                    // A closed channel means the desk stopped (it failed to apply a page).
                    if sender.send(page).is_err() {
                        return;
                    }
                    match next {
                        Some(next) => since = next,
                        None => return,
                    }
                }
            });
            for page in pages {
                apply(page?)?;
            }
            Ok(())
        })
    }

    fn authorised<B>(&self, request: ureq::RequestBuilder<B>) -> ureq::RequestBuilder<B> {
        match &self.token {
            Some(token) => request.header("Authorization", format!("Bearer {token}")),
            None => request,
        }
    }

    fn unreachable_or_untrusted(&self, err: ureq::Error) -> Error {
        let tls_refusal = match &err {
            ureq::Error::Rustls(refusal) => Some(refusal),
            ureq::Error::Io(io) => io.get_ref().and_then(|inner| inner.downcast_ref::<rustls::Error>()),
            _ => None,
        };
        match tls_refusal {
            Some(refusal) => {
                Error::Sync(SyncError::HubNotTrusted { url: self.base.clone(), reason: refusal.to_string() })
            }
            None => Error::Sync(SyncError::HubUnreachable { url: self.base.clone(), reason: err.to_string() }),
        }
    }

    fn answer<T: DeserializeOwned>(
        &self,
        response: std::result::Result<Response<ureq::Body>, ureq::Error>,
        unauthorised: impl FnOnce(String) -> Error,
    ) -> Result<(T, Option<Timestamp>)> {
        let mut response = response.map_err(|err| self.unreachable_or_untrusted(err))?;
        let hub_time = response
            .headers()
            .get("date")
            .and_then(|date| date.to_str().ok())
            .and_then(|date| chrono::DateTime::parse_from_rfc2822(date).ok())
            .map(|date| Timestamp(date.to_utc()));
        let status = response.status().as_u16();
        let body = response.body_mut().with_config().limit(MAX_RESPONSE_BYTES);
        if (200..300).contains(&status) {
            let parsed = body
                .read_json()
                .map_err(|err| Error::Sync(SyncError::HubAnswerNotUnderstood { reason: err.to_string() }))?;
            return Ok((parsed, hub_time));
        }
        let error: Option<ErrorBody> = body.read_json().ok();
        let (code, message) = match error {
            Some(ErrorBody { error }) => (error.code, error.message),
            None => ("unknown".to_owned(), format!("HTTP {status}")),
        };
        Err(match status {
            401 => unauthorised(message),
            507 => Error::Sync(SyncError::HubDiskFull),
            // A reverse proxy or a hub restarting: worth retrying like no answer at all.
            502..=504 => Error::Sync(SyncError::HubUnreachable { url: self.base.clone(), reason: message }),
            _ => Error::Sync(SyncError::HubRefused { status, code, message }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----
MIIBfTCCASOgAwIBAgIUDrrpgH8AZcDFLWHVL4acnztlhvQwCgYIKoZIzj0EAwIw
GTEXMBUGA1UEAwwOUG9yY2hsaWdodCBodWIwIBcNNzUwMTAxMDAwMDAwWhgPNDA5
NjAxMDEwMDAwMDBaMBkxFzAVBgNVBAMMDlBvcmNobGlnaHQgaHViMFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAEZw6qpkX3aMDk4ymyflJaJzYkvXHiNyvo36vCST3E
gIJHgj2LiWYzIZsT7nEfAGQjfvN/SzsVKryc/Mh4yUYZ3qNHMEUwHwYDVR0RBBgw
FocEfwAAAYIJbG9jYWxob3N0MCIGA1UdDgQbBBm5o+Pa2b6+1Z8B5w9z+9Vh1bSx
0Z8tHhQwCgYIKoZIzj0EAwIDSAAwRQIhAKpGZmySSR8AGSUdXzGf5HnJAFtFr5+Y
qXFdXa1yjpM3AiAffnmawujNY1Iw65UZNB6sAzhjZgjhkgHQHNh2dAnNvQ==
-----END CERTIFICATE-----
";

    #[test]
    fn a_pasted_certificate_that_lost_its_line_breaks_is_laid_out_again() {
        let squashed = format!("Certificate:\n  (details)\n{}", CERTIFICATE.replace('\n', " "));
        assert_eq!(reflowed_pem(&squashed), CERTIFICATE);
        assert_eq!(reflowed_pem("not a certificate"), "not a certificate");
    }

    #[test]
    fn the_hubs_private_key_pasted_by_mistake_is_refused_by_name() {
        let key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert!(matches!(HubTrust::new(Some(key), false), Err(Error::Sync(SyncError::HubKeyGivenToDesk))));
        assert!(matches!(HubTrust::new(Some("hello"), false), Err(Error::Sync(SyncError::InvalidHubCertificate))));
        assert!(HubTrust::new(Some("  "), false).unwrap().certificate_pem.is_none());
    }
}
