//! Talking to porchlight-hub over HTTP. Blocking, so core stays free of an async runtime; the
//! shell calls it on a worker thread.

use std::time::Duration;

use porchlight_protocol::{Change, EnrollRequest, EnrollResponse, ErrorBody, PullResponse, PushRequest, PushResponse};
use serde::de::DeserializeOwned;
use ureq::http::Response;

use crate::{Error, Result, Timestamp};

/// A pull page can hold 5000 changes of a few kilobytes each.
const MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;

pub(crate) struct HubClient {
    base: String,
    token: Option<String>,
    agent: ureq::Agent,
}

impl HubClient {
    pub fn new(hub_url: &str, token: Option<&str>) -> HubClient {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        HubClient { base: hub_url.trim_end_matches('/').to_owned(), token: token.map(str::to_owned), agent }
    }

    pub fn enroll(&self, name: &str, enrollment_code: &str) -> Result<EnrollResponse> {
        let body = EnrollRequest { name: name.to_owned(), enrollment_code: enrollment_code.to_owned() };
        let response = self.agent.post(format!("{}/v1/devices", self.base)).send_json(&body);
        let (enrolled, _) = self.answer(response, |message| Error::EnrollmentRefused { message })?;
        Ok(enrolled)
    }

    /// Pushes a batch; also returns the hub's clock reading, from its `Date` header.
    pub fn push(&self, changes: &[Change]) -> Result<(PushResponse, Option<Timestamp>)> {
        let body = PushRequest { changes: changes.to_vec() };
        let response = self.authorised(self.agent.post(format!("{}/v1/changes", self.base))).send_json(&body);
        self.answer(response, |_| Error::NotAuthorised)
    }

    pub fn pull(&self, since: u64, limit: u32) -> Result<PullResponse> {
        let url = format!("{}/v1/changes?since={since}&limit={limit}", self.base);
        let response = self.authorised(self.agent.get(url)).call();
        Ok(self.answer(response, |_| Error::NotAuthorised)?.0)
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

    fn answer<T: DeserializeOwned>(
        &self,
        response: std::result::Result<Response<ureq::Body>, ureq::Error>,
        unauthorised: impl FnOnce(String) -> Error,
    ) -> Result<(T, Option<Timestamp>)> {
        let mut response =
            response.map_err(|err| Error::HubUnreachable { url: self.base.clone(), reason: err.to_string() })?;
        let hub_time = response
            .headers()
            .get("date")
            .and_then(|date| date.to_str().ok())
            .and_then(|date| chrono::DateTime::parse_from_rfc2822(date).ok())
            .map(|date| Timestamp(date.to_utc()));
        let status = response.status().as_u16();
        let body = response.body_mut().with_config().limit(MAX_RESPONSE_BYTES);
        if (200..300).contains(&status) {
            let parsed = body.read_json().map_err(|err| Error::HubAnswerNotUnderstood { reason: err.to_string() })?;
            return Ok((parsed, hub_time));
        }
        let error: Option<ErrorBody> = body.read_json().ok();
        let (code, message) = match error {
            Some(ErrorBody { error }) => (error.code, error.message),
            None => ("unknown".to_owned(), format!("HTTP {status}")),
        };
        Err(match status {
            401 => unauthorised(message),
            // A reverse proxy or a hub restarting: worth retrying like no answer at all.
            502..=504 => Error::HubUnreachable { url: self.base.clone(), reason: message },
            _ => Error::HubRefused { status, code, message },
        })
    }
}
