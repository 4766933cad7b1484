//! What the connection pool did for one attempt, seen from the connector: which connections it
//! opened for the attempt, and whether the attempt is still waiting for one.
//!
//! reqwest does not say whether a request went out on a new or a pooled connection, nor whether
//! it is still connecting. The connector does know when it is asked for a connection, and the
//! pool asks it from inside the future of the request that needs one; so a task-local probe, set
//! around that future, is told by a connector layer about each connection opened for it (by its
//! local address, which the pool's errors also carry). A connection the pool stops waiting for
//! (an idle one came free first) is finished on another task; the probe counts it as detached
//! the first time it is polled outside its attempt.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use hyper_util::client::legacy::connect::{Connected, Connection, HttpInfo};
use tokio::time::Instant;

tokio::task_local! {
    static PROBE: Arc<Probe>;
}

/// The connector's view of one attempt.
#[derive(Debug, Default)]
pub(crate) struct Probe {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Connections being opened that the attempt still waits for.
    pending: usize,
    /// Connections opened while the attempt waited for them; `None` for one whose address is
    /// unknown.
    opened: Vec<Option<SocketAddr>>,
    /// When the last connection the attempt waited for was opened or given up.
    settled_at: Option<Instant>,
}

impl Probe {
    /// Polls `future` (the sending of one request) once with this probe watching the
    /// connections it asks for.
    pub(crate) fn poll_watched<F: Future>(
        self: &Arc<Self>,
        future: Pin<&mut F>,
        cx: &mut Context<'_>,
    ) -> Poll<F::Output> {
        PROBE.sync_scope(Arc::clone(self), || future.poll(cx))
    }

    /// Whether the attempt waits for a connection being opened, and when it last stopped
    /// waiting for one, at one look.
    pub(crate) fn state(&self) -> (bool, Option<Instant>) {
        let state = self.lock();
        (state.pending > 0, state.settled_at)
    }

    /// Whether the connection `used` (by its pool information) is one the pool already had:
    /// not opened while this attempt waited. `None` when that cannot be told: the connection's
    /// address is unknown, and the attempt did open one.
    pub(crate) fn reused(&self, used: Option<&Connected>) -> Option<bool> {
        let state = self.lock();
        if state.opened.is_empty() {
            return Some(true);
        }
        let used = local_addr(used?)?;
        if state.opened.iter().all(Option::is_some) {
            Some(!state.opened.contains(&Some(used)))
        } else {
            None
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is three counters; one left by a panicking thread is still consistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn started(&self) {
        self.lock().pending += 1;
    }

    fn settled(&self, opened: Option<Option<SocketAddr>>) {
        let mut state = self.lock();
        state.pending = state.pending.saturating_sub(1);
        state.opened.extend(opened);
        state.settled_at = Some(Instant::now());
    }
}

/// The local address of a connection, when its connector reports one.
fn local_addr(connected: &Connected) -> Option<SocketAddr> {
    let mut extensions = http::Extensions::new();
    connected.get_extras(&mut extensions);
    extensions.get::<HttpInfo>().map(HttpInfo::local_addr)
}

/// The connector layer that reports to the probe of the attempt asking for a connection.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ProbeLayer;

impl<S> tower_layer::Layer<S> for ProbeLayer {
    type Service = ProbeService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ProbeService { inner }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ProbeService<S> {
    inner: S,
}

impl<S, R> tower_service::Service<R> for ProbeService<S>
where
    S: tower_service::Service<R>,
    S::Response: Connection,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Watched<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        let probe = PROBE.try_with(Arc::clone).ok();
        if let Some(probe) = &probe {
            probe.started();
        }
        Watched {
            future: Box::pin(self.inner.call(request)),
            probe,
        }
    }
}

/// A connection being opened; reports to its attempt's probe while the attempt waits for it.
pub(crate) struct Watched<F> {
    future: Pin<Box<F>>,
    /// The probe, while the attempt still waits for this connection.
    probe: Option<Arc<Probe>>,
}

impl<F, T, E> Future for Watched<F>
where
    F: Future<Output = Result<T, E>>,
    T: Connection,
{
    type Output = Result<T, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(probe) = &self.probe {
            let attached = PROBE
                .try_with(|current| Arc::ptr_eq(current, probe))
                .unwrap_or(false);
            if !attached {
                probe.settled(None);
                self.probe = None;
            }
        }
        let output = std::task::ready!(self.future.as_mut().poll(cx));
        if let Some(probe) = self.probe.take() {
            let opened = output
                .as_ref()
                .ok()
                .map(|connection| local_addr(&connection.connected()));
            probe.settled(opened);
        }
        Poll::Ready(output)
    }
}

impl<F> Drop for Watched<F> {
    fn drop(&mut self) {
        if let Some(probe) = self.probe.take() {
            probe.settled(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use tokio::net::{TcpListener, TcpStream};
    use tower_layer::Layer;
    use tower_service::Service;

    use super::*;

    /// A connector whose connections, to a loopback listener, open when the test says so.
    #[derive(Clone)]
    struct Gate {
        open: Arc<tokio::sync::Notify>,
        to: SocketAddr,
    }

    impl Service<()> for Gate {
        type Response = TcpStream;
        type Error = std::io::Error;
        type Future = Pin<Box<dyn Future<Output = std::io::Result<TcpStream>> + Send>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, (): ()) -> Self::Future {
            let (open, to) = (Arc::clone(&self.open), self.to);
            Box::pin(async move {
                open.notified().await;
                TcpStream::connect(to).await
            })
        }
    }

    async fn gate() -> (Gate, TcpListener) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let to = listener.local_addr().expect("address");
        let open = Arc::new(tokio::sync::Notify::new());
        (Gate { open, to }, listener)
    }

    #[tokio::test]
    async fn a_connection_opened_inside_the_attempt_is_not_reused() {
        let (gate, listener) = gate().await;
        let open = Arc::clone(&gate.open);
        let mut connector = ProbeLayer.layer(gate);
        let probe = Arc::new(Probe::default());
        let mut attempt = std::pin::pin!(async {
            let connecting = connector.call(());
            open.notify_one();
            connecting.await
        });
        let opened = std::future::poll_fn(|cx| probe.poll_watched(attempt.as_mut(), cx))
            .await
            .expect("connects");
        let other = TcpStream::connect(listener.local_addr().expect("address"))
            .await
            .expect("connects");
        let (connecting, settled_at) = probe.state();
        assert!(!connecting);
        assert!(settled_at.is_some());
        assert_eq!(probe.reused(Some(&opened.connected())), Some(false));
        assert_eq!(probe.reused(Some(&other.connected())), Some(true));
        assert_eq!(
            probe.reused(Some(&Connected::new())),
            None,
            "address unknown"
        );
        assert_eq!(probe.reused(None), None);
    }

    #[tokio::test]
    async fn a_connection_finished_on_another_task_is_detached() {
        let (gate, _listener) = gate().await;
        let open = Arc::clone(&gate.open);
        let mut connector = ProbeLayer.layer(gate);
        let probe = Arc::new(Probe::default());
        // Started inside the attempt, then handed to another task, as the pool does when an idle
        // connection comes free first.
        let connecting = PROBE.sync_scope(Arc::clone(&probe), || connector.call(()));
        assert!(probe.state().0);
        let background = tokio::spawn(connecting);
        open.notify_one();
        let opened = background.await.expect("task").expect("connects");
        assert!(!probe.state().0);
        assert_eq!(probe.reused(Some(&opened.connected())), Some(true));
    }

    #[tokio::test]
    async fn without_a_connection_opened_every_connection_is_reused() {
        let probe = Probe::default();
        assert_eq!(probe.reused(None), Some(true));
        assert_eq!(probe.state(), (false, None));
    }

    #[tokio::test]
    async fn outside_any_attempt_nothing_is_recorded() {
        let (gate, _listener) = gate().await;
        let open = Arc::clone(&gate.open);
        let mut connector = ProbeLayer.layer(gate);
        let connecting = connector.call(());
        open.notify_one();
        assert!(connecting.await.is_ok());
    }
}
