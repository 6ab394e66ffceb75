//! What keeps the hub up for its desks when someone else tries to wear it down.
//!
//! Connections: a client has a few seconds to send a request's head (and an idle connection is
//! closed after as long), a whole request must be answered within a minute, and open connections
//! are limited per address and overall, so a few hundred half-sent requests cannot keep desks out.
//!
//! Enrollment codes: attempts are limited per address and overall (GCRA, from `governor`), and
//! past the limit the hub answers 429 with how long to wait.
//!
//! A code is 8 characters from 31 (about 2^39.6), valid for 24 hours. At the overall limit, one
//! attempt every half second after a burst of 100, a day allows about 173,000 guesses: about one
//! chance in 5 million of finding one unused code before it expires. Behind a reverse proxy every
//! desk has the proxy's address, and the overall limit is what holds.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum_server::accept::Accept;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Attempts from one address: 20 at once, then one every 10 seconds (a center setting up a
/// room full of desks does not notice).
const PER_ADDRESS_BURST: u32 = 20;
const PER_ADDRESS_EVERY: Duration = Duration::from_secs(10);
/// Attempts from everywhere together: 100 at once, then two a second.
const OVERALL_BURST: u32 = 100;
const OVERALL_EVERY: Duration = Duration::from_millis(500);
/// Addresses remembered before those long quiet are forgotten.
const ADDRESSES_KEPT: usize = 10_000;

/// How long a client may take and how many connections it may hold. Desks send each request
/// whole and keep at most a few connections, so these bounds are far from anything a desk does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConnectionLimits {
    /// To send a request's head, counted from when the connection opens or its last answer was
    /// sent: a half-sent head, or a connection left idle, is closed after this.
    pub header_timeout: Duration,
    /// To send a whole request and have it answered; past it the answer is 408.
    pub request_timeout: Duration,
    /// Open connections from one address; more are closed as they arrive.
    pub per_address: usize,
    /// Open connections from everywhere together, kept below a hand-started hub's 1,024 open
    /// files (the installed service may raise it with its own `LimitNOFILE`).
    pub overall: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            per_address: 64,
            overall: 900,
        }
    }
}

/// Counts open connections and closes one that would pass a limit before it is read from.
#[derive(Clone)]
pub struct LimitedAcceptor<Inner> {
    inner: Inner,
    limits: ConnectionLimits,
    open: Arc<Mutex<OpenConnections>>,
}

#[derive(Default)]
struct OpenConnections {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

impl<Inner> LimitedAcceptor<Inner> {
    pub fn new(inner: Inner, limits: ConnectionLimits) -> Self {
        LimitedAcceptor { inner, limits, open: Arc::default() }
    }

    fn admit(&self, address: IpAddr) -> Option<Admitted> {
        let mut open = self.open.lock().expect("connection counts");
        let from_address = open.by_address.get(&address).copied().unwrap_or(0);
        if open.total >= self.limits.overall || from_address >= self.limits.per_address {
            return None;
        }
        open.total += 1;
        open.by_address.insert(address, from_address + 1);
        Some(Admitted { address, open: self.open.clone() })
    }
}

/// One open connection, counted until it closes.
struct Admitted {
    address: IpAddr,
    open: Arc<Mutex<OpenConnections>>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.open.lock().expect("connection counts");
        open.total -= 1;
        if let Some(count) = open.by_address.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.by_address.remove(&self.address);
            }
        }
    }
}

impl<Inner, Service> Accept<TcpStream, Service> for LimitedAcceptor<Inner>
where
    Inner: Accept<TcpStream, Service> + Clone + Send + 'static,
    Inner::Future: Send,
    Service: Send + 'static,
{
    type Stream = Counted<Inner::Stream>;
    type Service = Inner::Service;
    type Future = Pin<Box<dyn Future<Output = io::Result<(Self::Stream, Self::Service)>> + Send>>;

    fn accept(&self, stream: TcpStream, service: Service) -> Self::Future {
        let admitted = stream.peer_addr().ok().and_then(|peer| self.admit(peer.ip()));
        let inner = self.inner.clone();
        Box::pin(async move {
            let Some(admitted) = admitted else {
                tracing::warn!(peer = ?stream.peer_addr().ok(), "too many connections: closed");
                return Err(io::Error::other("too many connections"));
            };
            let (stream, service) = inner.accept(stream, service).await?;
            Ok((Counted { stream, _admitted: admitted }, service))
        })
    }
}

/// A connection's stream, counted among the open ones while it lives.
pub struct Counted<Stream> {
    stream: Stream,
    _admitted: Admitted,
}

impl<Stream: AsyncRead + Unpin> AsyncRead for Counted<Stream> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl<Stream: AsyncWrite + Unpin> AsyncWrite for Counted<Stream> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

pub struct EnrollmentLimits {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    overall: DefaultDirectRateLimiter,
}

impl Default for EnrollmentLimits {
    fn default() -> Self {
        let quota = |every: Duration, burst: u32| {
            Quota::with_period(every).expect("a period").allow_burst(NonZeroU32::new(burst).expect("a burst"))
        };
        EnrollmentLimits {
            per_address: RateLimiter::keyed(quota(PER_ADDRESS_EVERY, PER_ADDRESS_BURST)),
            overall: RateLimiter::direct(quota(OVERALL_EVERY, OVERALL_BURST)),
        }
    }
}

impl EnrollmentLimits {
    /// Counts an attempt from `address` (unknown when served without one); `Err` holds how long
    /// to wait when it is one too many.
    pub fn attempt(&self, address: Option<IpAddr>) -> Result<(), Duration> {
        let wait = |not_until: governor::NotUntil<_>| not_until.wait_time_from(DefaultClock::default().now());
        if let Some(address) = address {
            if self.per_address.len() > ADDRESSES_KEPT {
                self.per_address.retain_recent();
            }
            self.per_address.check_key(&address).map_err(wait)?;
        }
        self.overall.check().map_err(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_counted_per_address_and_overall_until_they_close() {
        let limits = ConnectionLimits { per_address: 2, overall: 3, ..ConnectionLimits::default() };
        let acceptor = LimitedAcceptor::new((), limits);
        let (one, other, third) =
            ("127.0.0.2".parse().unwrap(), "127.0.0.3".parse().unwrap(), "127.0.0.4".parse().unwrap());
        let first = acceptor.admit(one).unwrap();
        let _second = acceptor.admit(one).unwrap();
        assert!(acceptor.admit(one).is_none(), "a third from one address");
        let _from_other = acceptor.admit(other).unwrap();
        assert!(acceptor.admit(third).is_none(), "a fourth overall");
        drop(first);
        assert!(acceptor.admit(one).is_some(), "a place freed when a connection closed");
    }

    #[test]
    fn one_address_gets_its_burst_then_waits_and_others_still_get_theirs() {
        let limits = EnrollmentLimits::default();
        let (one, other) = ("127.0.0.9".parse().unwrap(), "10.1.2.3".parse().unwrap());
        for _ in 0..PER_ADDRESS_BURST {
            limits.attempt(Some(one)).unwrap();
        }
        let wait = limits.attempt(Some(one)).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= PER_ADDRESS_EVERY, "{wait:?}");
        limits.attempt(Some(other)).expect("another address is not held up by the first");
    }

    #[test]
    fn all_addresses_together_are_held_to_the_overall_limit() {
        let limits = EnrollmentLimits::default();
        let refused = (0..OVERALL_BURST + 20)
            .filter(|n| limits.attempt(Some(IpAddr::from([10, 0, (n / 250) as u8, (n % 250) as u8]))).is_err())
            .count();
        assert!((19..=20).contains(&refused), "{refused} of {} refused", OVERALL_BURST + 20);
    }
}
