//! The client's address, for rate limits and sign-in throttling: the TCP peer, or, when the peer
//! is a trusted reverse proxy (`trusted_proxies`), the address the proxies name in the one header
//! they write (`client_address_header`: `X-Forwarded-For` by default, or `Forwarded`, RFC 7239).
//! The other header is never read: a proxy passes on what a client sent in a header it does not
//! write itself. Hops are read from the right, skipping trusted proxies, so a client cannot
//! choose its address by sending the header itself.

use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;
use rocket::Request;
use rocket::request::{FromRequest, Outcome};

/// The proxies whose forwarding header is believed, and which header they write.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies {
    nets: Vec<IpNet>,
    /// `Forwarded` instead of `X-Forwarded-For`.
    rfc7239: bool,
}

impl TrustedProxies {
    /// The given networks, whose proxies write `X-Forwarded-For` or (`rfc7239`) `Forwarded`.
    pub fn new(nets: Vec<IpNet>, rfc7239: bool) -> Self {
        Self { nets, rfc7239 }
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.nets.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`, given the forwarding headers' hops (left to right).
    pub fn client(&self, peer: IpAddr, hops: &[Option<IpAddr>]) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop {
                Some(ip) if self.trusts(*ip) => client = *ip,
                Some(ip) => return *ip,
                // An unreadable hop ("unknown", an obfuscated name): the last proxy that can be
                // named stands for the client.
                None => return client,
            }
        }
        client
    }
}

/// The client's address, as [`TrustedProxies`] reads it; `None` when Rocket knows no peer.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientAddr {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let Some(peer) = req.remote().map(|s| s.ip()) else {
            return Outcome::Success(Self(None));
        };
        let trusted = req.rocket().state::<TrustedProxies>();
        let client = match trusted {
            Some(t) if t.trusts(peer) => t.client(peer, &hops(req, t.rfc7239)),
            _ => peer,
        };
        Outcome::Success(Self(Some(client)))
    }
}

/// The hops named by `X-Forwarded-For`, or by `Forwarded` (its `for=` parameters).
fn hops(req: &Request<'_>, rfc7239: bool) -> Vec<Option<IpAddr>> {
    if rfc7239 {
        return req
            .headers()
            .get("Forwarded")
            .flat_map(|h| h.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, v)| node(v))
            })
            .collect();
    }
    req.headers()
        .get("X-Forwarded-For")
        .flat_map(|h| h.split(','))
        .map(node)
        .collect()
}

/// An address as a proxy writes it: `192.0.2.1`, `192.0.2.1:4711`, `"[2001:db8::1]:4711"`,
/// `2001:db8::1`.
fn node(value: &str) -> Option<IpAddr> {
    let v = value.trim().trim_matches('"');
    v.parse::<IpAddr>()
        .ok()
        .or_else(|| v.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            v.strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .and_then(|(ip, _)| ip.parse().ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies() -> TrustedProxies {
        TrustedProxies::new(
            vec![
                "10.0.0.0/8".parse().unwrap(),
                "127.0.0.1/32".parse().unwrap(),
            ],
            false,
        )
    }

    #[test]
    fn headers_count_only_from_a_trusted_peer() {
        let t = proxies();
        // A client sending the header itself is still its own address.
        assert_eq!(
            t.client(ip("203.0.113.5"), &[Some(ip("1.2.3.4"))]),
            ip("203.0.113.5")
        );
        // Behind the proxy: the rightmost untrusted hop, not what the client claimed first.
        let hops = [
            Some(ip("1.2.3.4")),
            Some(ip("198.51.100.7")),
            Some(ip("10.1.1.1")),
        ];
        assert_eq!(t.client(ip("127.0.0.1"), &hops), ip("198.51.100.7"));
        // Only proxies: the leftmost stands for the client.
        assert_eq!(
            t.client(ip("127.0.0.1"), &[Some(ip("10.9.9.9"))]),
            ip("10.9.9.9")
        );
        // Nothing forwarded: the proxy itself.
        assert_eq!(t.client(ip("127.0.0.1"), &[]), ip("127.0.0.1"));
        // An unreadable hop: the last named proxy.
        assert_eq!(
            t.client(ip("127.0.0.1"), &[Some(ip("1.2.3.4")), None]),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn node_reads_the_forms_proxies_write() {
        assert_eq!(node(" 192.0.2.60"), Some(ip("192.0.2.60")));
        assert_eq!(node("192.0.2.60:4711"), Some(ip("192.0.2.60")));
        assert_eq!(
            node("\"[2001:db8:cafe::17]:4711\""),
            Some(ip("2001:db8:cafe::17"))
        );
        assert_eq!(
            node("\"[2001:db8:cafe::17]\""),
            Some(ip("2001:db8:cafe::17"))
        );
        assert_eq!(node("2001:db8::1"), Some(ip("2001:db8::1")));
        assert_eq!(node("unknown"), None);
        assert_eq!(node("_hidden"), None);
    }
}
