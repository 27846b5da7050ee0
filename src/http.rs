//! The HTTP face of `seatmate run` (`http.listen`): `GET /livez` answers 200
//! while the process runs; `GET /readyz` answers 200 only when the database
//! answers within a second with this binary's schema and the process is not
//! stopping, else 503 with the reason in one line (never a secret). A load
//! balancer stops sending work the moment a stop begins: readiness turns 503
//! at once, and the server keeps answering for [`DRAIN`] before it closes.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use seatmate_bot::Store;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How long readiness may take before the database counts as not answering.
pub const READY_WITHIN: Duration = Duration::from_secs(1);
/// How long the server keeps answering (readiness 503) after a stop begins.
pub const DRAIN: Duration = Duration::from_secs(2);

#[derive(Clone)]
struct Probe {
    store: Arc<dyn Store>,
    stopping: watch::Receiver<bool>,
}

/// The routes over `store`; `stopping` turns readiness off.
pub fn router(store: Arc<dyn Store>, stopping: watch::Receiver<bool>) -> Router {
    Router::new()
        .route("/livez", get(|| async { "live\n" }))
        .route("/readyz", get(ready))
        .with_state(Probe { store, stopping })
}

async fn ready(State(probe): State<Probe>) -> (StatusCode, String) {
    if *probe.stopping.borrow() {
        return (StatusCode::SERVICE_UNAVAILABLE, "stopping\n".into());
    }
    match tokio::time::timeout(READY_WITHIN, probe.store.schema_lag()).await {
        Ok(Ok(None)) => (StatusCode::OK, "ready\n".into()),
        Ok(Ok(Some(lag))) => (StatusCode::SERVICE_UNAVAILABLE, format!("{lag}\n")),
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness: the database did not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "the database does not answer\n".into())
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the database did not answer within {} ms\n", READY_WITHIN.as_millis()),
        ),
    }
}

/// Serves until `shutdown` turns, then answers "stopping" for [`DRAIN`]
/// and closes.
pub async fn serve(listener: TcpListener, store: Arc<dyn Store>, mut shutdown: watch::Receiver<bool>) {
    let stopping = shutdown.clone();
    let closed = async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
        tokio::time::sleep(DRAIN).await;
    };
    if let Err(error) = axum::serve(listener, router(store, stopping))
        .with_graceful_shutdown(closed)
        .await
    {
        tracing::error!(%error, "the HTTP server stopped");
    }
}
