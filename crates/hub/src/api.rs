//! The `/v1` REST API exactly as in `docs/sync.md`. Every error a client can cause is a 4xx
//! with `{"error": {"code", "message"}}`; the OpenAPI document is generated from this code.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::Path;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use porchlight_protocol::acts;
use porchlight_protocol::{
    auth_key_id, is_key_id, is_month, is_public_key, is_uuid_v7, sealed_with, Approval, AskToJoin, CenterDevice,
    CenterDevices, CenterInfo, Change, ClaimKey, Count, EnrollRequest, EnrollResponse, ErrorBody, ErrorDetail, Health,
    HistoryStaged, JoinRequest, JoinRequests, KeyGrant, KeyGrants, KeyVerifier, LogPosition, MonthFigures, MyKeyGrant,
    MyKeyGrants, Op, PullResponse, PulledChange, PushRequest, PushResponse, SealedChange, SealedHistory, CALL_OUTCOMES,
    DEFAULT_PULL_LIMIT, MAX_BODY_BYTES, MAX_PULL_LIMIT, MAX_PUSH_BATCH, MAX_SEALED_KEYS_BYTES,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};

use crate::limits::EnrollmentLimits;
use crate::store::{Approved, Caller, Enrollment, KeyClaim, Staging, Store, StoreError, StoredChange};

pub fn router(store: Arc<dyn Store>) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/devices", post(enroll).get(center_devices))
        .route("/v1/devices/{device_id}/revocation", post(revoke_device))
        .route("/v1/key-grants", post(grant_keys).get(my_key_grants))
        .route("/v1/changes", post(push).get(pull))
        .route("/v1/center", get(center))
        .route("/v1/center/key", post(claim_key))
        .route("/v1/center/verifier", post(register_verifier))
        .route("/v1/join-requests", post(ask_to_join).get(join_requests))
        .route("/v1/join-requests/{request_id}", get(join_request).delete(withdraw_join_request))
        .route("/v1/join-requests/{request_id}/approval", post(approve))
        .route("/v1/sealed-history", post(stage_sealed_history))
        .route("/v1/sealed-history/commit", post(commit_sealed_history))
        .route("/v1/figures/{month}", put(publish_figures))
        .route("/v1/openapi.json", get(openapi))
        .fallback(not_found)
        .layer(axum::middleware::from_fn(json_bodies_only))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(Extension(Arc::new(EnrollmentLimits::default())))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(store)
}

#[derive(OpenApi)]
#[openapi(
    info(title = "porchlight-hub", description = "The ordered relay Porchlight desks sync through."),
    paths(
        health, enroll, push, pull, center, claim_key, register_verifier, ask_to_join, join_requests, join_request, withdraw_join_request,
        approve,
        stage_sealed_history, commit_sealed_history, center_devices, revoke_device, grant_keys, my_key_grants,
        publish_figures, openapi
    ),
    components(schemas(
        Health, EnrollRequest, EnrollResponse, PushRequest, PushResponse, Change, Op, PulledChange, PullResponse,
        CenterInfo, LogPosition, ClaimKey, KeyVerifier, AskToJoin, JoinRequest, JoinRequests, Approval, SealedHistory, SealedChange,
        HistoryStaged, CenterDevice, CenterDevices, KeyGrants, KeyGrant, MyKeyGrants, MyKeyGrant, MonthFigures, Count,
        ErrorBody, ErrorDetail
    )),
    modifiers(&BearerToken, &JsonBodies)
)]
pub struct ApiDoc;

/// A request that carries a body must say it is JSON, or it is refused before anything reads it
/// (415): a form or a text body is never taken for what it is not.
async fn json_bodies_only(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let headers = request.headers();
    let length = headers.get(header::CONTENT_LENGTH).and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    let carries_body = length.is_some_and(|length| length > 0) || headers.contains_key(header::TRANSFER_ENCODING);
    let media_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok());
    let is_json = media_type
        .and_then(|value| value.split(';').next())
        .is_some_and(|media_type| media_type.trim().eq_ignore_ascii_case("application/json"));
    if carries_body && !is_json {
        return ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON, with Content-Type: application/json",
        )
        .into_response();
    }
    next.run(request).await
}

/// Every operation that takes a body answers 415 to one that is not JSON ([`json_bodies_only`]).
struct JsonBodies;

impl Modify for JsonBodies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let refused = ResponseBuilder::new()
            .description("the body is not sent as application/json")
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
            .build();
        for item in openapi.paths.paths.values_mut() {
            for operation in [&mut item.post, &mut item.put].into_iter().flatten() {
                if operation.request_body.is_some() {
                    operation.responses.responses.insert("415".to_owned(), refused.clone().into());
                }
            }
        }
    }
}

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// A client-facing error: status, stable code, and a sentence for a person.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// Seconds to wait before trying again, sent as `Retry-After`.
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), retry_after: None }
    }

    fn too_many_attempts(wait: std::time::Duration) -> ApiError {
        let seconds = wait.as_secs() + 1;
        ApiError {
            retry_after: Some(seconds),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                format!("too many enrollment attempts; try again in {seconds} seconds"),
            )
        }
    }

    fn unauthorized(message: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code.to_owned(), message: self.message } };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> ApiError {
        match err {
            StoreError::Busy => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", err.to_string()),
            StoreError::DiskFull => {
                tracing::error!("the hub's disk is full: nothing can be stored until space is freed");
                ApiError::new(
                    StatusCode::INSUFFICIENT_STORAGE,
                    "hub_disk_full",
                    "the hub's disk is full: it stores nothing until its operator frees space",
                )
            }
            StoreError::Damaged(_) => {
                tracing::error!(error = %err, "the hub's database is damaged");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "database_damaged",
                    "the hub's database is damaged: its operator puts back its last backup",
                )
            }
            StoreError::Unavailable(_) => {
                tracing::warn!(error = %err, "the hub's database cannot be reached");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "database_unavailable",
                    "the hub cannot reach its database; try again",
                )
            }
            other => {
                tracing::error!(error = %other, "hub storage failed");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage_failed", "the hub could not use its database")
            }
        }
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Runs the store's blocking work off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, StoreError> + Send + 'static) -> ApiResult<T> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(ApiError::from),
        Err(_) => {
            Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the hub failed handling this request"))
        }
    }
}

/// Malformed JSON is a 400; JSON of the wrong shape (unknown or missing fields, wrong types) a 422.
fn parse_json<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> ApiResult<T> {
    let body = body_bytes(body)?;
    serde_json::from_slice(&body).map_err(|err| match err.classify() {
        serde_json::error::Category::Data => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", err.to_string())
        }
        _ => ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", err.to_string()),
    })
}

/// A request's body as it came, or why it cannot be read.
fn body_bytes(body: Result<Bytes, BytesRejection>) -> ApiResult<Bytes> {
    body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the request body is over {} bytes", MAX_BODY_BYTES),
        ),
        _ => ApiError::new(StatusCode::BAD_REQUEST, "unreadable_body", rejection.body_text()),
    })
}

/// Refuses an act for the center unless a holder of its key signed it ([`acts`]): a desk never
/// let in, a desk revoked when the key changed, or anyone holding just a token cannot. A center
/// with no key yet, or whose desks have not registered its verifier yet (named by an older
/// version), has nothing to check it with.
fn center_signed(caller: &Caller, headers: &HeaderMap, method: &str, uri: &Uri, body: &[u8]) -> ApiResult<()> {
    let (Some(key_id), Some(verifier)) = (&caller.key_id, &caller.key_verifier) else { return Ok(()) };
    let header = headers.get(acts::SIGNATURE_HEADER).and_then(|value| value.to_str().ok());
    acts::verify(verifier, key_id, header, chrono::Utc::now().timestamp_millis(), method, uri.path(), body)
        .map_err(|refused| ApiError::new(StatusCode::FORBIDDEN, "not_signed_by_center", refused.to_string()))
}

/// The caller and the act it asks for the center, once a holder of the center's key signed it.
async fn signed_act<T: DeserializeOwned>(
    store: &Arc<dyn Store>,
    headers: &HeaderMap,
    method: &str,
    uri: &Uri,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(Caller, T)> {
    let caller = authenticate(store, headers).await?;
    let body = body_bytes(body)?;
    center_signed(&caller, headers, method, uri, &body)?;
    Ok((caller, parse_json(Ok(body))?))
}

async fn authenticate(store: &Arc<dyn Store>, headers: &HeaderMap) -> ApiResult<Caller> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .ok_or_else(|| ApiError::unauthorized("send the desk's token as Authorization: Bearer <token>"))?
        .to_owned();
    let store = store.clone();
    blocking(move || store.authenticate(&token))
        .await?
        .ok_or_else(|| ApiError::unauthorized("this token is not valid or the desk was revoked"))
}

/// Is the hub up, and can it read and write its database as a push would?
#[utoipa::path(
    get, path = "/v1/health",
    responses(
        (status = 200, body = Health),
        (status = 503, description = "the database cannot be reached, or is damaged", body = ErrorBody),
        (status = 507, description = "the hub's disk is full", body = ErrorBody),
    )
)]
async fn health(State(store): State<Arc<dyn Store>>) -> ApiResult<Json<Health>> {
    blocking(move || store.health()).await?;
    Ok(Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() }))
}

/// Enrolls a desk with a one-time code from `porchlight-hub enrollment-code`.
#[utoipa::path(
    post, path = "/v1/devices", request_body = EnrollRequest,
    responses(
        (status = 201, body = EnrollResponse),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "wrong, used or expired enrollment code", body = ErrorBody),
        (status = 413, description = "body over the limit", body = ErrorBody),
        (status = 422, description = "missing or unknown fields, empty or long name", body = ErrorBody),
        (status = 429, description = "too many attempts from this address, or from all together; Retry-After says when to try again", body = ErrorBody),
    )
)]
async fn enroll(
    State(store): State<Arc<dyn Store>>,
    Extension(limits): Extension<Arc<EnrollmentLimits>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<EnrollResponse>)> {
    limits.attempt(peer.map(|Extension(ConnectInfo(address))| address.ip())).map_err(ApiError::too_many_attempts)?;
    let request: EnrollRequest = parse_json(body)?;
    let name = request.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_name",
            "a desk name is 1 to 60 characters",
        ));
    }
    match blocking(move || store.enroll(&name, &request.enrollment_code)).await? {
        Enrollment::Enrolled { device_id, token } => {
            Ok((StatusCode::CREATED, Json(EnrollResponse { device_id, token })))
        }
        Enrollment::CodeRefused => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "enrollment_refused",
            "that enrollment code is wrong, already used, or expired; ask the hub's operator for a new one",
        )),
    }
}

/// Stores a batch of changes (at most 1000), all or nothing.
#[utoipa::path(
    post, path = "/v1/changes", request_body = PushRequest, security(("bearer" = [])),
    responses(
        (status = 200, body = PushResponse),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 413, description = "body over the limit or more than 1000 changes", body = ErrorBody),
        (status = 409, description = "a value is sealed with a key the center no longer uses", body = ErrorBody),
        (status = 422, description = "a change is invalid: unknown op, bad id, bad hlc, unknown field, or, in a center that seals, a readable value or no proof", body = ErrorBody),
    )
)]
async fn push(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<PushResponse>> {
    let caller = authenticate(&store, &headers).await?;
    let request: PushRequest = parse_json(body)?;
    check_batch(request.changes.len(), "push")?;
    for (index, change) in request.changes.iter().enumerate() {
        change.check().map_err(|reason| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_change", format!("change {index}: {reason}"))
        })?;
        if let Some(key_id) = &caller.key_id {
            check_proven(index, change.auth.as_deref(), &change.fields, key_id)?;
        }
    }
    Ok(Json(blocking(move || store.push(&caller, &request.changes)).await?))
}

/// Once a center has a key, the hub keeps nothing unproven: every change must carry a proof made
/// with the center's key (the hub cannot check it, only its form: desks check it), and every
/// value must be sealed with that key.
fn check_proven(
    index: usize,
    auth: Option<&str>,
    fields: &serde_json::Map<String, serde_json::Value>,
    key_id: &str,
) -> ApiResult<()> {
    match auth.and_then(auth_key_id) {
        Some(proven_with) if proven_with == key_id => {}
        Some(_) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "center_key_changed",
                format!("change {index} is proven with a key this center no longer uses"),
            ))
        }
        None => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unproven_change",
                format!(
                    "change {index} carries no proof that a desk of this center made it \
                     (update Porchlight on this desk)"
                ),
            ))
        }
    }
    check_sealed(index, fields, key_id)
}

/// Once a center has a key, the hub keeps nothing readable: every value must be sealed, and
/// with the center's key (a desk still sealing with another has not caught up and is told so).
fn check_sealed(index: usize, fields: &serde_json::Map<String, serde_json::Value>, key_id: &str) -> ApiResult<()> {
    for (field, value) in fields {
        match sealed_with(value) {
            Some(sealed_by) if sealed_by == key_id => {}
            Some(_) => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "center_key_changed",
                    format!("change {index}: {field:?} is sealed with a key this center no longer uses"),
                ))
            }
            None => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unsealed_value",
                    format!(
                        "change {index}: {field:?} is readable; this center's desks seal every value \
                         (update Porchlight on this desk)"
                    ),
                ))
            }
        }
    }
    Ok(())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PullParams {
    /// Return changes after this seq; 0 starts from the beginning.
    #[param(minimum = 0)]
    since: Option<u64>,
    /// Page size: default 500, at most 5000.
    #[param(minimum = 1, maximum = 5000)]
    limit: Option<u32>,
}

/// The same shape as `PullResponse`, serialised straight from the stored rows.
#[derive(Serialize)]
struct PullPage {
    changes: Vec<StoredChange>,
    next: u64,
    has_more: bool,
    history: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    since_change_id: Option<String>,
}

/// Changes after `since`, oldest first, one page at a time.
#[utoipa::path(
    get, path = "/v1/changes", params(PullParams), security(("bearer" = [])),
    responses(
        (status = 200, body = PullResponse),
        (status = 400, description = "since or limit not a number, or limit out of range", body = ErrorBody),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
    )
)]
async fn pull(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    params: Result<Query<PullParams>, QueryRejection>,
) -> ApiResult<Json<PullPage>> {
    let caller = authenticate(&store, &headers).await?;
    let Query(params) = params
        .map_err(|rejection| ApiError::new(StatusCode::BAD_REQUEST, "invalid_parameters", rejection.body_text()))?;
    let since = params.since.unwrap_or(0);
    let limit = params.limit.unwrap_or(DEFAULT_PULL_LIMIT);
    if !(1..=MAX_PULL_LIMIT).contains(&limit) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_parameters",
            format!("limit must be 1 to {MAX_PULL_LIMIT}"),
        ));
    }
    let device_id = caller.device_id.clone();
    let pulled = blocking(move || store.pull(&caller.center_id, since, limit)).await?;
    let next = pulled.changes.last().map_or(since, |change| change.seq);
    tracing::debug!(%device_id, since, count = pulled.changes.len(), "pull");
    Ok(Json(PullPage {
        changes: pulled.changes,
        next,
        has_more: pulled.has_more,
        history: pulled.history,
        since_change_id: pulled.since_change_id,
    }))
}

/// The desk's center: its name and the id of the key its desks seal with.
#[utoipa::path(
    get, path = "/v1/center", security(("bearer" = [])),
    responses(
        (status = 200, body = CenterInfo),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
    )
)]
async fn center(State(store): State<Arc<dyn Store>>, headers: HeaderMap) -> ApiResult<Json<CenterInfo>> {
    let caller = authenticate(&store, &headers).await?;
    Ok(Json(blocking(move || store.center_info(&caller)).await?))
}

/// The verifying half of the signing key of the key the center has now, for a center whose key
/// was named without one (by an older desk): signed with that very signing key. The first one
/// kept holds; another is refused.
#[utoipa::path(
    post, path = "/v1/center/verifier", request_body = KeyVerifier, security(("bearer" = [])),
    responses(
        (status = 200, body = CenterInfo),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 403, description = "not signed with the signing key it names", body = ErrorBody),
        (status = 409, description = "the center has another key now, or keeps another verifier", body = ErrorBody),
        (status = 422, description = "not a key id or not a verifying key", body = ErrorBody),
    )
)]
async fn register_verifier(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<CenterInfo>> {
    let caller = authenticate(&store, &headers).await?;
    let body = body_bytes(body)?;
    let verifier: KeyVerifier = parse_json(Ok(body.clone()))?;
    check_key_id(&verifier.key_id)?;
    if !acts::is_verifying_key(&verifier.verifying_key) {
        return Err(invalid_verifying_key());
    }
    if caller.key_id.as_deref() != Some(verifier.key_id.as_str()) {
        return Err(ApiError::new(StatusCode::CONFLICT, "center_key_changed", "the center seals with another key now"));
    }
    let signed_by_itself = Caller { key_verifier: Some(verifier.verifying_key.clone()), ..caller.clone() };
    center_signed(&signed_by_itself, &headers, "POST", &uri, &body)?;
    match blocking(move || store.register_verifier(&caller, &verifier)).await? {
        Some(info) => Ok(Json(info)),
        None => Err(ApiError::new(
            StatusCode::CONFLICT,
            "center_verifier_differs",
            "the hub keeps another verifying key for this center's key",
        )),
    }
}

fn invalid_verifying_key() -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_verifying_key", "a verifying key is 32 bytes, base64url")
}

/// The center's first desk names the key it made. The same id again is answered as before;
/// another is refused, and that desk asks to join instead. With `previous` (the current key), a
/// desk changes the center's key after revoking a lost desk.
#[utoipa::path(
    post, path = "/v1/center/key", request_body = ClaimKey, security(("bearer" = [])),
    responses(
        (status = 200, body = CenterInfo),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 403, description = "not signed with the center's signing key", body = ErrorBody),
        (status = 409, description = "another desk made the center's key first, or `previous` is not the current key", body = ErrorBody),
        (status = 422, description = "not a key id (32 lowercase hex digits)", body = ErrorBody),
    )
)]
async fn claim_key(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<CenterInfo>> {
    let caller = authenticate(&store, &headers).await?;
    let body = body_bytes(body)?;
    let claim: ClaimKey = parse_json(Ok(body.clone()))?;
    check_key_id(&claim.key_id)?;
    if let Some(previous) = &claim.previous {
        check_key_id(previous)?;
        center_signed(&caller, &headers, "POST", &uri, &body)?;
    }
    if claim.verifying_key.as_deref().is_some_and(|key| !acts::is_verifying_key(key)) {
        return Err(invalid_verifying_key());
    }
    match blocking(move || store.claim_key(&caller, &claim)).await? {
        KeyClaim::Taken(info) => Ok(Json(info)),
        KeyClaim::AlreadyMade(_) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "center_key_exists",
            "another desk of this center made its key first; ask to join instead",
        )),
    }
}

/// A desk without the center's key asks the center's desks for it. Asking again replaces the
/// earlier request.
#[utoipa::path(
    post, path = "/v1/join-requests", request_body = AskToJoin, security(("bearer" = [])),
    responses(
        (status = 201, body = JoinRequest),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 422, description = "not a public key", body = ErrorBody),
    )
)]
async fn ask_to_join(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<JoinRequest>)> {
    let caller = authenticate(&store, &headers).await?;
    let ask: AskToJoin = parse_json(body)?;
    if !is_public_key(&ask.public_key) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_public_key",
            "a public key is 32 bytes in base64url without padding",
        ));
    }
    let request = blocking(move || store.ask_to_join(&caller, &ask.public_key)).await?;
    Ok((StatusCode::CREATED, Json(request)))
}

/// Desks of this center waiting to be let in.
#[utoipa::path(
    get, path = "/v1/join-requests", security(("bearer" = [])),
    responses(
        (status = 200, body = JoinRequests),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
    )
)]
async fn join_requests(State(store): State<Arc<dyn Store>>, headers: HeaderMap) -> ApiResult<Json<JoinRequests>> {
    let caller = authenticate(&store, &headers).await?;
    Ok(Json(JoinRequests { requests: blocking(move || store.join_requests(&caller)).await? }))
}

fn no_such_request() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no_such_request", "this center has no such request to join")
}

/// One request to join; once approved it carries the keys sealed to the asking desk.
#[utoipa::path(
    get, path = "/v1/join-requests/{request_id}", security(("bearer" = [])),
    params(("request_id" = String, Path, description = "the request's id")),
    responses(
        (status = 200, body = JoinRequest),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 404, description = "no such request in this center", body = ErrorBody),
    )
)]
async fn join_request(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    Path(request_id): Path<String>,
) -> ApiResult<Json<JoinRequest>> {
    let caller = authenticate(&store, &headers).await?;
    if !is_uuid_v7(&request_id) {
        return Err(no_such_request());
    }
    blocking(move || store.join_request(&caller, &request_id)).await?.map(Json).ok_or_else(no_such_request)
}

/// The caller's center publishes its figures for a month (again, in place of what it published
/// before): counts only, plain, for the network's report. A center publishes only if it chose to.
#[utoipa::path(
    put, path = "/v1/figures/{month}", request_body = MonthFigures, security(("bearer" = [])),
    params(("month" = String, Path, description = "the month, YYYY-MM")),
    responses(
        (status = 204, description = "published"),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 403, description = "not signed with the center's signing key", body = ErrorBody),
        (status = 422, description = "not a month, another month than the path's, a count that is neither a number nor \"fewer than N\", or a field that is not a count", body = ErrorBody),
    )
)]
async fn publish_figures(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    uri: Uri,
    Path(month): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<StatusCode> {
    let (caller, figures): (Caller, MonthFigures) = signed_act(&store, &headers, "PUT", &uri, body).await?;
    let invalid = |message: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_figures", message);
    if !is_month(&month) || figures.month != month {
        return Err(invalid(format!(
            "the figures are for {:?}, the path names {month:?}: both YYYY-MM, alike",
            figures.month
        )));
    }
    let counts = [
        ("visits", &figures.visits),
        ("people_served", &figures.people_served),
        ("anonymous_contacts", &figures.anonymous_contacts),
        ("group_attendance", &figures.group_attendance),
        ("calls", &figures.calls),
    ];
    if let Some(unknown) = figures.calls_by_outcome.keys().find(|outcome| !CALL_OUTCOMES.contains(&outcome.as_str())) {
        return Err(invalid(format!("{unknown:?} is not a call outcome: one of {}", CALL_OUTCOMES.join(", "))));
    }
    let by_outcome = figures.calls_by_outcome.iter().map(|(outcome, count)| (outcome.as_str(), count));
    for (name, count) in counts.into_iter().chain(by_outcome) {
        if count.bounds().is_none() {
            return Err(invalid(format!("{name} is {count:?}: a count is a number or \"fewer than N\"")));
        }
    }
    if !(figures.volunteer_hours.is_finite() && figures.volunteer_hours >= 0.0) {
        return Err(invalid("volunteer_hours is a number of hours, 0 or more".into()));
    }
    blocking(move || store.publish_figures(&caller, &figures)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The asking desk no longer waits (it took the key from the recovery words).
#[utoipa::path(
    delete, path = "/v1/join-requests/{request_id}", security(("bearer" = [])),
    params(("request_id" = String, Path, description = "the request's id")),
    responses(
        (status = 204, description = "withdrawn"),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 404, description = "no such request of this desk", body = ErrorBody),
    )
)]
async fn withdraw_join_request(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    Path(request_id): Path<String>,
) -> ApiResult<StatusCode> {
    let caller = authenticate(&store, &headers).await?;
    if !is_uuid_v7(&request_id) {
        return Err(no_such_request());
    }
    match blocking(move || store.withdraw_join_request(&caller, &request_id)).await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(no_such_request()),
    }
}

/// A desk holding the center's keys lets a waiting desk in, with the keys sealed to it.
#[utoipa::path(
    post, path = "/v1/join-requests/{request_id}/approval", request_body = Approval, security(("bearer" = [])),
    params(("request_id" = String, Path, description = "the request's id")),
    responses(
        (status = 200, body = JoinRequest),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 403, description = "not signed with the center's signing key", body = ErrorBody),
        (status = 404, description = "no such request in this center", body = ErrorBody),
        (status = 409, description = "already approved", body = ErrorBody),
        (status = 422, description = "sealed_keys empty or over 64 KiB", body = ErrorBody),
    )
)]
async fn approve(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    uri: Uri,
    Path(request_id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<JoinRequest>> {
    let (caller, approval): (Caller, Approval) = signed_act(&store, &headers, "POST", &uri, body).await?;
    if !is_uuid_v7(&request_id) {
        return Err(no_such_request());
    }
    check_sealed_keys("", &approval.sealed_keys)?;
    match blocking(move || store.approve(&caller, &request_id, &approval.sealed_keys)).await? {
        Approved::Done(request) => Ok(Json(request)),
        Approved::NoSuchRequest => Err(no_such_request()),
        Approved::AlreadyApproved => {
            Err(ApiError::new(StatusCode::CONFLICT, "already_approved", "another desk already let this desk in"))
        }
    }
}

/// At most [`MAX_PUSH_BATCH`] changes in one push or one page of a sealed history.
fn check_batch(count: usize, what: &str) -> ApiResult<()> {
    if count <= MAX_PUSH_BATCH {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "batch_too_large",
        format!("{count} changes in one {what}; at most {MAX_PUSH_BATCH}"),
    ))
}

fn check_key_id(text: &str) -> ApiResult<()> {
    if is_key_id(text) {
        return Ok(());
    }
    Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_key_id", "a key id is 32 lowercase hex digits"))
}

/// Keys sealed to a desk, as an approval or a grant carries them; `place` names which one.
fn check_sealed_keys(place: &str, sealed_keys: &str) -> ApiResult<()> {
    if !sealed_keys.is_empty() && sealed_keys.len() <= MAX_SEALED_KEYS_BYTES {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_sealed_keys",
        format!("{place}sealed_keys is 1 to {MAX_SEALED_KEYS_BYTES} bytes"),
    ))
}

fn no_center_key() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "no_center_key",
        "this center has no key yet: a desk names it (POST /v1/center/key) before sealing the history",
    )
}

/// Stages part of a sealed copy of the center's readable history (changes stored before it
/// had a key): each change by its seq, the same fields, every value sealed with the center's key.
#[utoipa::path(
    post, path = "/v1/sealed-history", request_body = SealedHistory, security(("bearer" = [])),
    responses(
        (status = 200, body = HistoryStaged),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 403, description = "not signed with the center's signing key", body = ErrorBody),
        (status = 409, description = "the center has no key, or a value is sealed with another", body = ErrorBody),
        (status = 413, description = "more than 1000 changes", body = ErrorBody),
        (status = 422, description = "a change the hub does not hold readable, other fields, or a readable value", body = ErrorBody),
    )
)]
async fn stage_sealed_history(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<HistoryStaged>> {
    let (caller, history): (Caller, SealedHistory) = signed_act(&store, &headers, "POST", &uri, body).await?;
    let Some(key_id) = caller.key_id.clone() else { return Err(no_center_key()) };
    check_batch(history.changes.len(), "page")?;
    // A change the desk could not vouch for comes as it is, without a proof, and stays so.
    for (index, change) in history.changes.iter().enumerate().filter(|(_, change)| change.auth.is_some()) {
        check_proven(index, change.auth.as_deref(), &change.fields, &key_id)?;
    }
    match blocking(move || store.stage_sealed_history(&caller, &history.changes)).await? {
        Staging::Staged(staged) => Ok(Json(staged)),
        Staging::NotReadable(index, seq) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_readable",
            format!("change {index}: seq {seq} is not a readable change of this center"),
        )),
        Staging::OtherFields(index, seq) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "other_fields",
            format!("change {index}: the copy of seq {seq} must set exactly the fields it sets"),
        )),
    }
}

/// Replaces every readable value of the center with the staged sealed copy, all at once.
#[utoipa::path(
    post, path = "/v1/sealed-history/commit", security(("bearer" = [])),
    responses(
        (status = 200, body = CenterInfo),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 403, description = "not signed with the center's signing key", body = ErrorBody),
        (status = 409, description = "the center has no key, or the copy does not cover every readable change", body = ErrorBody),
    )
)]
async fn commit_sealed_history(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    uri: Uri,
) -> ApiResult<Json<CenterInfo>> {
    let caller = authenticate(&store, &headers).await?;
    center_signed(&caller, &headers, "POST", &uri, b"")?;
    if caller.key_id.is_none() {
        return Err(no_center_key());
    }
    match blocking(move || store.commit_sealed_history(&caller)).await? {
        Ok(info) => Ok(Json(info)),
        Err(staged) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "history_incomplete",
            format!("the sealed copy covers {} of {} readable changes", staged.staged, staged.readable),
        )),
    }
}

/// The desks of this center, revoked ones included.
#[utoipa::path(
    get, path = "/v1/devices", security(("bearer" = [])),
    responses(
        (status = 200, body = CenterDevices),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
    )
)]
async fn center_devices(State(store): State<Arc<dyn Store>>, headers: HeaderMap) -> ApiResult<Json<CenterDevices>> {
    let caller = authenticate(&store, &headers).await?;
    Ok(Json(CenterDevices { devices: blocking(move || store.center_devices(&caller)).await? }))
}

/// A desk of the center revokes another (a lost laptop): its token is refused from now on.
#[utoipa::path(
    post, path = "/v1/devices/{device_id}/revocation", security(("bearer" = [])),
    params(("device_id" = String, Path, description = "the desk to revoke")),
    responses(
        (status = 204, description = "revoked (or already)"),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 403, description = "not signed with the center's signing key", body = ErrorBody),
        (status = 404, description = "no such desk in this center", body = ErrorBody),
    )
)]
async fn revoke_device(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    uri: Uri,
    Path(device_id): Path<String>,
) -> ApiResult<StatusCode> {
    let caller = authenticate(&store, &headers).await?;
    center_signed(&caller, &headers, "POST", &uri, b"")?;
    let no_such_desk = || ApiError::new(StatusCode::NOT_FOUND, "no_such_device", "this center has no such desk");
    if !is_uuid_v7(&device_id) {
        return Err(no_such_desk());
    }
    match blocking(move || store.revoke_in_center(&caller, &device_id)).await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(no_such_desk()),
    }
}

/// After a change of key: the center's keys sealed to each desk still enrolled.
#[utoipa::path(
    post, path = "/v1/key-grants", request_body = KeyGrants, security(("bearer" = [])),
    responses(
        (status = 204, description = "kept"),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
        (status = 403, description = "not signed with the center's signing key", body = ErrorBody),
        (status = 422, description = "not a key id, a desk of another center, or sealed keys empty or over 64 KiB", body = ErrorBody),
    )
)]
async fn grant_keys(
    State(store): State<Arc<dyn Store>>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<StatusCode> {
    let (caller, grants): (Caller, KeyGrants) = signed_act(&store, &headers, "POST", &uri, body).await?;
    check_key_id(&grants.key_id)?;
    for (index, grant) in grants.grants.iter().enumerate() {
        check_sealed_keys(&format!("grant {index}: "), &grant.sealed_keys)?;
    }
    match blocking(move || store.grant_keys(&caller, &grants)).await? {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(device_id) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_such_device",
            format!("{device_id:?} is not a desk of this center"),
        )),
    }
}

/// The keys granted to this desk after changes of key, newest first.
#[utoipa::path(
    get, path = "/v1/key-grants", security(("bearer" = [])),
    responses(
        (status = 200, body = MyKeyGrants),
        (status = 401, description = "missing, invalid or revoked token", body = ErrorBody),
    )
)]
async fn my_key_grants(State(store): State<Arc<dyn Store>>, headers: HeaderMap) -> ApiResult<Json<MyKeyGrants>> {
    let caller = authenticate(&store, &headers).await?;
    Ok(Json(MyKeyGrants { grants: blocking(move || store.my_key_grants(&caller)).await? }))
}

/// This document.
#[utoipa::path(get, path = "/v1/openapi.json", responses((status = 200, description = "the OpenAPI document")))]
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint; see /v1/openapi.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_507_and_a_damaged_database_503_each_saying_so() {
        let full = ApiError::from(StoreError::DiskFull);
        assert_eq!((full.status, full.code), (StatusCode::INSUFFICIENT_STORAGE, "hub_disk_full"));
        let damaged = ApiError::from(StoreError::Damaged("page 12: btree damaged".into()));
        assert_eq!((damaged.status, damaged.code), (StatusCode::SERVICE_UNAVAILABLE, "database_damaged"));
    }
}
