//! SSRF guard for URLs *discovered* in feeds and sitemaps (configured URLs are trusted).
//!
//! A discovered URL may point anywhere, including the monitor's own network. The guard
//! refuses non-public addresses unless `fetch.allow_private_addresses` is set or the host is
//! listed in `fetch.allow_hosts`. It is enforced at three places so there is no gap:
//! - before the request, for IP-literal hosts (reqwest does not resolve those);
//! - on every redirect hop, for IP-literal hosts (in the redirect policy);
//! - in the DNS resolver of the guarded client, which returns only the checked addresses, so
//!   the address connected to is the address that was checked (no DNS-rebinding window).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// Who may be reached by discovered URLs.
#[derive(Debug, Clone, Default)]
pub struct GuardPolicy {
    /// `fetch.allow_private_addresses`: the guard is off.
    pub allow_private: bool,
    /// `fetch.allow_hosts`: host names or IP literals exempt from the guard (lowercase).
    pub allow_hosts: Vec<String>,
}

/// Why a discovered URL was not fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub host: String,
    pub addr: Option<IpAddr>,
    pub why: &'static str,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.addr {
            Some(a) if a.to_string() != self.host => {
                write!(f, "{} resolves to {a}, a {} address", self.host, self.why)
            }
            _ => write!(f, "{} is a {} address", self.host, self.why),
        }
    }
}
impl std::error::Error for Refused {}

impl GuardPolicy {
    pub fn new(allow_private: bool, allow_hosts: &[String]) -> Self {
        Self {
            allow_private,
            allow_hosts: allow_hosts
                .iter()
                .map(|h| h.trim().trim_matches(['[', ']']).to_ascii_lowercase())
                .collect(),
        }
    }

    fn exempt(&self, host: &str) -> bool {
        self.allow_private || {
            let h = host.trim_matches(['[', ']']).to_ascii_lowercase();
            let h = h.trim_end_matches('.');
            self.allow_hosts.iter().any(|a| a == h)
        }
    }

    /// The check for a URL whose host is an IP literal; names are checked at resolution.
    pub fn check_url(&self, url: &Url) -> Result<(), Refused> {
        let Some(host) = url.host() else {
            return Ok(());
        };
        let ip = match host {
            Host::Ipv4(a) => IpAddr::V4(a),
            Host::Ipv6(a) => IpAddr::V6(a),
            Host::Domain(d) => {
                // "localhost" never needs DNS to be private.
                let d = d.trim_end_matches('.').to_ascii_lowercase();
                if (d == "localhost" || d.ends_with(".localhost")) && !self.exempt(&d) {
                    return Err(Refused {
                        host: d,
                        addr: None,
                        why: "loopback",
                    });
                }
                return Ok(());
            }
        };
        self.check_ip(url.host_str().unwrap_or_default(), ip)
    }

    /// The check for one resolved (or literal) address of `host`.
    pub fn check_ip(&self, host: &str, ip: IpAddr) -> Result<(), Refused> {
        if self.exempt(host) {
            return Ok(());
        }
        match non_public(ip) {
            None => Ok(()),
            Some(why) => Err(Refused {
                host: host.trim_matches(['[', ']']).to_string(),
                addr: Some(ip),
                why,
            }),
        }
    }
}

/// `Some(kind)` when `ip` is not a public unicast address.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(a) => non_public_v4(a),
        IpAddr::V6(a) => non_public_v6(a),
    }
}

fn non_public_v4(a: Ipv4Addr) -> Option<&'static str> {
    let [o0, o1, o2, _] = a.octets();
    Some(match () {
        _ if a.is_loopback() => "loopback",
        _ if a.is_private() => "private",
        _ if a.is_link_local() => "link-local",
        _ if a.is_unspecified() || o0 == 0 => "unspecified",
        _ if a.is_broadcast() => "broadcast",
        _ if a.is_multicast() => "multicast",
        _ if a.is_documentation() => "documentation",
        _ if o0 == 100 && (o1 & 0xc0) == 64 => "shared (carrier-grade NAT)",
        _ if o0 == 198 && (o1 & 0xfe) == 18 => "benchmarking",
        _ if o0 == 192 && o1 == 0 && o2 == 0 => "IETF protocol assignment",
        _ if o0 >= 240 => "reserved",
        _ => return None,
    })
}

fn non_public_v6(a: Ipv6Addr) -> Option<&'static str> {
    if let Some(v4) = a.to_ipv4_mapped() {
        return non_public_v4(v4);
    }
    let s = a.segments();
    // NAT64 (64:ff9b::/96) embeds an IPv4 address: judge that one.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let v4 = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
        return non_public_v4(v4);
    }
    Some(match () {
        _ if a.is_loopback() => "loopback",
        _ if a.is_unspecified() => "unspecified",
        _ if a.is_multicast() => "multicast",
        _ if (s[0] & 0xffc0) == 0xfe80 => "link-local",
        _ if (s[0] & 0xfe00) == 0xfc00 => "private (unique local)",
        _ if (s[0] & 0xffc0) == 0xfec0 => "site-local",
        _ if s[0] == 0x2001 && s[1] == 0x0db8 => "documentation",
        // IPv4-compatible (deprecated) ::a.b.c.d
        _ if s[..6] == [0, 0, 0, 0, 0, 0] => "IPv4-compatible",
        _ => return None,
    })
}

/// The guarded client's resolver: system DNS, then the policy on every address.
#[derive(Debug, Clone)]
pub(crate) struct GuardedResolver {
    pub policy: Arc<GuardPolicy>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut ok = Vec::with_capacity(addrs.len());
            let mut refused = None;
            for a in addrs {
                match policy.check_ip(&host, a.ip()) {
                    Ok(()) => ok.push(a),
                    Err(r) => refused = refused.or(Some(r)),
                }
            }
            // Any non-public answer refuses the name outright: a mixed answer is how
            // rebinding attacks hide a private address behind a public one.
            if let Some(r) = refused {
                tracing::warn!(host, "refused: {r}");
                return Err(Box::new(r) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(ok.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn non_public_ranges() {
        for (a, kind) in [
            ("127.0.0.9", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("0.0.0.0", "unspecified"),
            ("100.64.0.1", "shared (carrier-grade NAT)"),
            ("198.18.0.1", "benchmarking"),
            ("224.0.0.1", "multicast"),
            ("255.255.255.255", "broadcast"),
            ("240.0.0.1", "reserved"),
            ("::1", "loopback"),
            ("fe80::1", "link-local"),
            ("fd00::1", "private (unique local)"),
            ("::ffff:10.0.0.1", "private"),
            ("64:ff9b::7f00:1", "loopback"),
            ("::", "unspecified"),
        ] {
            assert_eq!(non_public(ip(a)), Some(kind), "{a}");
        }
        for a in [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert_eq!(non_public(ip(a)), None, "{a}");
        }
    }

    #[test]
    fn policy_exemptions() {
        let p = GuardPolicy::new(false, &["127.0.0.1".into(), "Intranet.Example".into()]);
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(p.check_url(&u("http://127.0.0.1:8080/a")).is_ok());
        let e = p.check_url(&u("http://127.0.0.9/a")).unwrap_err();
        assert_eq!(e.to_string(), "127.0.0.9 is a loopback address");
        assert!(p.check_url(&u("http://[::1]/")).is_err());
        assert!(p.check_url(&u("http://localhost:3000/")).is_err());
        assert!(p.check_url(&u("http://news.example/")).is_ok()); // checked at resolution
        assert!(p.check_ip("intranet.example", ip("10.0.0.5")).is_ok());
        let e = p.check_ip("evil.example", ip("10.0.0.5")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "evil.example resolves to 10.0.0.5, a private address"
        );
        let open = GuardPolicy::new(true, &[]);
        assert!(open.check_url(&u("http://127.0.0.9/")).is_ok());
    }

    #[tokio::test]
    async fn resolver_refuses_names_that_resolve_to_loopback() {
        let r = GuardedResolver {
            policy: Arc::new(GuardPolicy::new(false, &[])),
        };
        let err = match r.resolve("localhost".parse().unwrap()).await {
            Ok(_) => panic!("localhost must be refused"),
            Err(e) => e,
        };
        assert!(err.to_string().contains("loopback"), "{err}");
        let allowed = GuardedResolver {
            policy: Arc::new(GuardPolicy::new(false, &["localhost".into()])),
        };
        assert!(allowed.resolve("localhost".parse().unwrap()).await.is_ok());
    }
}
