//! porchlight-hub: the REST service Porchlight desks sync through. It authenticates desks,
//! stores each change once with an increasing `seq`, and hands changes on in that order. It
//! never reads a record's fields: desks merge.

pub mod api;
pub mod store;

use std::future::Future;
use std::sync::Arc;

pub use store::Store;

/// Serves the API on `listener` until `shutdown` completes, then finishes requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<Store>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, api::router(store)).with_graceful_shutdown(shutdown).await
}
