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

pub use store::{Database, PostgresStore, SqliteStore, Store};

/// Serves the API on `listener` until `shutdown` completes, then finishes requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<dyn Store>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = api::router(store).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

/// [`serve`], over TLS.
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    tls: Arc<rustls::ServerConfig>,
    store: Arc<dyn Store>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let handle = axum_server::Handle::new();
    let stopping = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopping.graceful_shutdown(None);
    });
    let listener = listener.into_std()?;
    axum_server::from_tcp_rustls(listener, axum_server::tls_rustls::RustlsConfig::from_config(tls))?
        .handle(handle)
        .serve(api::router(store).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .await
}
