//! Who the client is behind the kommun's reverse proxy.
//!
//! With a TLS proxy (nginx, Caddy) in front, every request reaches us from the proxy's address.
//! `--trusted-proxies` lists the proxies (IPs and CIDRs); only when the direct peer is one of
//! them is `X-Forwarded-For` read, and the client is its right-most address that is not itself a
//! trusted proxy (each proxy appends the address it received the request from, so everything to
//! the left of the first untrusted hop may have been written by the client). A peer that is not
//! trusted never chooses its own address: its `X-Forwarded-For` is ignored.
//!
//! `Forwarded` (RFC 7239) is deliberately not read: nginx passes a client's own `Forwarded`
//! header through unchanged unless configured to rewrite it, so trusting it would let a resident
//! pick any address. `X-Forwarded-Proto` from a trusted peer says whether the request came over
//! TLS (right-most value, which the nearest proxy wrote).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use axum::http::HeaderMap;

/// An IP network: an address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

fn prefix_eq(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let full = usize::from(prefix / 8);
    let rest = prefix % 8;
    if a[..full] != b[..full] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    a[full] & mask == b[full] & mask
}

impl FromStr for Cidr {
    type Err = String;

    /// `10.0.0.1`, `10.0.0.0/8`, `2001:db8::/32`, `::1`.
    fn from_str(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let bad = || format!("{s:?} is not an IP address or CIDR such as 10.0.0.0/8 or ::1");
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr = canonical(IpAddr::from_str(addr).map_err(|_| bad())?);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?,
            None => max,
        };
        let cidr = Cidr { addr, prefix };
        // Refuse host bits below the prefix (10.0.0.1/8): almost always a typo.
        if !cidr.contains(addr) || network_of(addr, prefix) != addr {
            return Err(format!(
                "{s:?} has bits set below its prefix; write the network, e.g. {}/{prefix}",
                network_of(addr, prefix)
            ));
        }
        Ok(cidr)
    }
}

fn network_of(addr: IpAddr, prefix: u8) -> IpAddr {
    fn mask(bytes: &mut [u8], prefix: u8) {
        for (i, b) in bytes.iter_mut().enumerate() {
            let bits = (i as u32) * 8;
            let p = u32::from(prefix);
            if bits >= p {
                *b = 0;
            } else if p - bits < 8 {
                *b &= 0xffu8 << (8 - (p - bits));
            }
        }
    }
    match addr {
        IpAddr::V4(v4) => {
            let mut o = v4.octets();
            mask(&mut o, prefix);
            IpAddr::V4(Ipv4Addr::from(o))
        }
        IpAddr::V6(v6) => {
            let mut o = v6.octets();
            mask(&mut o, prefix);
            IpAddr::V6(Ipv6Addr::from(o))
        }
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, as a dual-stack socket reports IPv4 peers)
/// are the IPv4 address.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The configured proxies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// Parses a list of IPs and CIDRs (each entry may itself be comma-separated).
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .flat_map(|e| e.as_ref().split(','))
            .filter(|e| !e.trim().is_empty())
            .map(Cidr::from_str)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client of a request that reached us from `peer` with these headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> Client {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return Client {
                ip: peer,
                https: false,
            };
        }
        Client {
            ip: self.forwarded_for(peer, headers),
            https: forwarded_proto(headers).is_some_and(|p| p.eq_ignore_ascii_case("https")),
        }
    }

    /// Right to left through `X-Forwarded-For` (all its headers, in order), skipping trusted
    /// proxies; the first untrusted address is the client. An entry that is not an address
    /// ends the walk at the last good hop: what lies left of it cannot be trusted.
    fn forwarded_for(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else {
                return client;
            };
            client = ip;
            if !self.trusts(ip) {
                return ip;
            }
        }
        // Every hop was a trusted proxy: the left-most is the best we know.
        client
    }
}

/// `192.0.2.1`, `192.0.2.1:5678`, `2001:db8::1`, `[2001:db8::1]:443`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(sock) = hop.parse::<std::net::SocketAddr>() {
        return Some(canonical(sock.ip()));
    }
    None
}

/// The right-most `X-Forwarded-Proto` value.
fn forwarded_proto(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .rfind(|p| !p.is_empty())
}

/// Who sent a request, as far as we can tell: put into every request's extensions by
/// [`crate::app`]'s client layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    /// The client's address (used only hashed, for rate limits).
    pub ip: IpAddr,
    /// A trusted proxy says the request came over TLS.
    pub https: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn cidrs_parse_and_match() {
        let net: Cidr = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains(ip("10.1.200.3")));
        assert!(!net.contains(ip("10.2.0.1")));
        assert!(net.contains(ip("::ffff:10.1.0.9")), "IPv4-mapped");
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains(ip("2001:db8:ffff::1")));
        assert!(!v6.contains(ip("2001:db9::1")));
        assert!(!v6.contains(ip("10.1.0.1")));
        let odd: Cidr = "192.168.0.0/23".parse().unwrap();
        assert!(odd.contains(ip("192.168.1.255")) && !odd.contains(ip("192.168.2.0")));
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains(ip("8.8.8.8")));
        for bad in [
            "",
            "10.0.0.0/33",
            "10.0.0.1/8",
            "nginx",
            "10.0.0/8",
            "::1/129",
        ] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_list_may_be_comma_separated() {
        let t = TrustedProxies::parse(&["127.0.0.1, ::1", "10.0.0.0/8"]).unwrap();
        assert!(t.trusts(ip("::1")) && t.trusts(ip("10.9.9.9")));
        assert!(TrustedProxies::parse(&["127.0.0.1,x"]).is_err());
        assert!(TrustedProxies::parse::<&str>(&[]).unwrap().is_empty());
    }

    #[test]
    fn the_client_is_the_right_most_untrusted_hop() {
        let t = TrustedProxies::parse(&["127.0.0.1", "10.0.0.0/8"]).unwrap();
        let peer = ip("127.0.0.1");
        // A resident behind the kommun's proxy.
        let h = headers(&[("x-forwarded-for", "203.0.113.7")]);
        assert_eq!(t.client(peer, &h).ip, ip("203.0.113.7"));
        // The resident wrote their own X-Forwarded-For: the proxy appended the real address.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7")]);
        assert_eq!(t.client(peer, &h).ip, ip("203.0.113.7"));
        // Two proxies (a load balancer at 10.0.0.5, then nginx on this host).
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7, 10.0.0.5")]);
        assert_eq!(t.client(peer, &h).ip, ip("203.0.113.7"));
        // Several header lines count as one list, in order.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.7, 10.0.0.5"),
        ]);
        assert_eq!(t.client(peer, &h).ip, ip("203.0.113.7"));
        // Ports and brackets, as some proxies write them.
        let h = headers(&[("x-forwarded-for", "[2001:db8::7]:4711")]);
        assert_eq!(t.client(peer, &h).ip, ip("2001:db8::7"));
        let h = headers(&[("x-forwarded-for", "203.0.113.7:4711")]);
        assert_eq!(t.client(peer, &h).ip, ip("203.0.113.7"));
        // Garbage stops the walk at the last good hop.
        let h = headers(&[("x-forwarded-for", "203.0.113.7, unknown, 10.0.0.5")]);
        assert_eq!(t.client(peer, &h).ip, ip("10.0.0.5"));
        // No header: the proxy itself.
        assert_eq!(t.client(peer, &HeaderMap::new()).ip, peer);
        // Only proxies in the list: the left-most.
        let h = headers(&[("x-forwarded-for", "10.0.0.9, 10.0.0.5")]);
        assert_eq!(t.client(peer, &h).ip, ip("10.0.0.9"));
    }

    #[test]
    fn an_untrusted_peer_never_chooses_its_address() {
        let t = TrustedProxies::parse(&["127.0.0.1"]).unwrap();
        let h = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("x-forwarded-proto", "https"),
        ]);
        let c = t.client(ip("192.0.2.50"), &h);
        assert_eq!(
            c,
            Client {
                ip: ip("192.0.2.50"),
                https: false
            }
        );
        // Nothing configured: today's behaviour, the socket's address.
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("127.0.0.1"), &h).ip, ip("127.0.0.1"));
    }

    #[test]
    fn tls_is_what_the_nearest_trusted_proxy_says() {
        let t = TrustedProxies::parse(&["::1"]).unwrap();
        let https = headers(&[("x-forwarded-proto", "https")]);
        assert!(t.client(ip("::1"), &https).https);
        let http = headers(&[("x-forwarded-proto", "https, http")]);
        assert!(!t.client(ip("::1"), &http).https);
        assert!(!t.client(ip("::1"), &HeaderMap::new()).https);
        // A dual-stack socket's view of an IPv4 proxy.
        let t4 = TrustedProxies::parse(&["127.0.0.1"]).unwrap();
        assert!(t4.client(ip("::ffff:127.0.0.1"), &https).https);
    }
}
