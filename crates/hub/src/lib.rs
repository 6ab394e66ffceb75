//! porchlight-hub: the REST service Porchlight desks sync through. It authenticates desks,
//! stores each change once with an increasing `seq`, and hands changes on in that order. It
//! never reads a record's fields: desks merge.

pub mod api;
pub mod config;
pub mod limits;
pub mod network_report;
pub mod store;
pub mod tls;

use std::future::Future;
use std::sync::Arc;

pub use limits::ConnectionLimits;
use limits::LimitedAcceptor;
pub use store::{Database, PostgresStore, SqliteStore, Store};

/// Serves the API on `listener`, over TLS when given a configuration, until `shutdown`
/// completes, then finishes requests in flight. Only HTTP/1.1, which is all desks speak.
pub async fn serve(
    listener: tokio::net::TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    store: Arc<dyn Store>,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let handle = axum_server::Handle::new();
    let stopping = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopping.graceful_shutdown(None);
    });
    let app = api::router(store)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let mut server = axum_server::from_tcp(listener.into_std()?)?
        .handle(handle)
        .http1_only()
        .first_request_timeout(limits.header_timeout);
    server.http_builder().http1().timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(limits.header_timeout);
    match tls {
        Some(tls) => {
            let tls =
                axum_server::tls_rustls::RustlsAcceptor::new(axum_server::tls_rustls::RustlsConfig::from_config(tls))
                    .handshake_timeout(limits.header_timeout);
            server.acceptor(LimitedAcceptor::new(tls, limits)).serve(app).await
        }
        None => server.map(|plain| LimitedAcceptor::new(plain, limits)).serve(app).await,
    }
}
