//! The HTTP face of `seatmate run` (`http.listen`): `GET /livez` answers 200
//! while the process runs; `GET /readyz` answers 200 only when the database
//! answers within a second with this binary's schema and the process is not
//! stopping, else 503 with the reason in one line (never a secret). A load
//! balancer stops sending work the moment a stop begins: readiness turns 503
//! at once, and the server keeps answering for [`DRAIN`] before it closes.
//! `GET /metrics` gives the core's counters in Prometheus's text format
//! (behind a bearer token when `http.metrics_token` is set).
//!
//! In webhook mode, Telegram's updates arrive at the webhook URL's path
//! (see `seatmate_telegram::webhook`): 200 once recorded, 401 without the
//! secret, 400 for what is not an update, 503 when the database cannot
//! record it or the process is stopping (Telegram then delivers it again,
//! to another instance or after the restart).
//!
//! In Discord's HTTP mode, interactions arrive at `POST /discord/interactions`
//! (see `seatmate_discord::endpoint`): signature checked first, answered in
//! the response. While stopping they are still answered: Discord does not
//! send an interaction again.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use seatmate_bot::{Clock, Store, SystemClock};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How long readiness may take before the database counts as not answering.
pub const READY_WITHIN: Duration = Duration::from_secs(1);
/// How long the server keeps answering (readiness 503) after a stop begins.
pub const DRAIN: Duration = Duration::from_secs(2);

/// How often the metrics' histograms are tidied (the exporter's upkeep).
const UPKEEP: Duration = Duration::from_secs(5);

#[derive(Clone)]
struct Probe {
    store: Arc<dyn Store>,
    stopping: watch::Receiver<bool>,
    metrics: PrometheusHandle,
    metrics_token: Option<Arc<SecretString>>,
}

/// The Telegram webhook route's state: the receiver, and whether the
/// process is stopping (then Telegram is told to send again).
#[derive(Clone)]
struct TelegramRoute {
    webhook: seatmate_telegram::webhook::Webhook,
    stopping: watch::Receiver<bool>,
}

/// What the server answers besides health and metrics.
#[derive(Default)]
pub struct Inbound {
    /// Telegram's webhook: its route (the URL's path) and its receiver.
    pub telegram: Option<(String, seatmate_telegram::webhook::Webhook)>,
    /// Discord's interactions endpoint.
    pub discord: Option<seatmate_discord::endpoint::Endpoint>,
}

/// Installs the Prometheus recorder the core's counters go to (once a
/// process), with buckets for the latencies; what `/metrics` renders.
pub fn install_metrics() -> anyhow::Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Suffix("_seconds".into()),
            &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
        )?
        .install_recorder()?;
    metrics::gauge!("seatmate_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    Ok(handle)
}

/// The health and metrics routes over `probe` (its `stopping` turns
/// readiness off), and the platforms' routes `inbound` names.
fn router(probe: Probe, inbound: Inbound) -> Router {
    let mut router = Router::new()
        .route("/livez", get(|| async { "live\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(scrape));
    if let Some((path, webhook)) = inbound.telegram {
        let route = TelegramRoute {
            webhook,
            stopping: probe.stopping.clone(),
        };
        router = router.merge(Router::new().route(&path, post(telegram_update)).with_state(route));
    }
    if let Some(endpoint) = inbound.discord {
        let route = Router::new().route(crate::settings::DISCORD_ROUTE, post(discord_interaction));
        router = router.merge(route.with_state(endpoint));
    }
    router.with_state(probe)
}

/// One interaction from Discord (see the module's note).
async fn discord_interaction(
    State(endpoint): State<seatmate_discord::endpoint::Endpoint>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, [(header::HeaderName, &'static str); 1], String) {
    let json = [(header::CONTENT_TYPE, "application/json")];
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let answer = endpoint
        .receive(header("x-signature-ed25519"), header("x-signature-timestamp"), &body)
        .await;
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, json, answer.body)
}

/// One update from Telegram's webhook (see the module's note).
async fn telegram_update(
    State(route): State<TelegramRoute>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    use seatmate_telegram::webhook::Received;
    if *route.stopping.borrow() {
        return (StatusCode::SERVICE_UNAVAILABLE, "stopping\n");
    }
    let secret = headers.get("x-telegram-bot-api-secret-token").map(|v| v.as_bytes());
    match route.webhook.receive(secret, &body).await {
        Received::Taken => (StatusCode::OK, "ok\n"),
        Received::Unauthorized => (StatusCode::UNAUTHORIZED, "the secret token is missing or wrong\n"),
        Received::NotAnUpdate => (StatusCode::BAD_REQUEST, "not a Telegram update\n"),
        Received::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the update could not be recorded; send it again\n",
        ),
    }
}

async fn scrape(State(probe): State<Probe>, headers: HeaderMap) -> (StatusCode, String) {
    if let Some(token) = &probe.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        // In time that does not depend on where the two differ.
        if !bool::from(given.as_bytes().ct_eq(token.expose_secret().as_bytes())) {
            return (StatusCode::UNAUTHORIZED, "a bearer token is needed\n".into());
        }
    }
    (StatusCode::OK, probe.metrics.render())
}

/// The outbox by state, as gauges (sampled every [`UPKEEP`]).
async fn sample_outbox(store: &dyn Store) {
    match store.outbox_counts(SystemClock.now()).await {
        Ok(counts) => {
            for (state, n) in [
                ("due", counts.due),
                ("claimed", counts.claimed),
                ("held", counts.held),
                ("dead", counts.dead),
            ] {
                metrics::gauge!("seatmate_outbox_messages", "state" => state).set(n as f64);
            }
        }
        Err(error) => tracing::warn!(%error, "could not count the outbox for the metrics"),
    }
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
pub async fn serve(
    listener: TcpListener,
    store: Arc<dyn Store>,
    metrics: PrometheusHandle,
    metrics_token: Option<SecretString>,
    inbound: Inbound,
    mut shutdown: watch::Receiver<bool>,
) {
    let probe = Probe {
        store,
        stopping: shutdown.clone(),
        metrics: metrics.clone(),
        metrics_token: metrics_token.map(Arc::new),
    };
    let sampled = probe.store.clone();
    let upkeep = tokio::spawn(async move {
        loop {
            sample_outbox(sampled.as_ref()).await;
            tokio::time::sleep(UPKEEP).await;
            metrics.run_upkeep();
        }
    });
    let closed = async move {
        let _ = shutdown.wait_for(|stop| *stop).await;
        tokio::time::sleep(DRAIN).await;
    };
    let served = axum::serve(listener, router(probe, inbound))
        .with_graceful_shutdown(closed)
        .await;
    upkeep.abort();
    if let Err(error) = served {
        tracing::error!(%error, "the HTTP server stopped");
    }
}
