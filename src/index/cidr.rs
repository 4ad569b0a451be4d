//! An address block in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`): which source
//! addresses it holds. An analyst's range (an attacker's hosting provider, a VPN's exits) is
//! a block, not a list: a log may hold an address per event.

use super::addr::Addr;
use super::intern::Interner;
use std::net::IpAddr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    /// The block's first address (bits past the prefix cleared).
    net: IpAddr,
    /// The prefix's length in bits.
    bits: u8,
}

impl Cidr {
    /// `text` as `ADDRESS/BITS`: None when it has no `/` (it names one address, or is no
    /// address), else the block or why it is none. Bits past the prefix are ignored
    /// (`203.0.113.7/24` is `203.0.113.0/24`).
    pub fn parse(text: &str) -> Option<Result<Cidr, String>> {
        let (addr, bits) = text.trim().split_once('/')?;
        let Ok(net) = addr.trim().parse::<IpAddr>() else {
            return Some(Err(format!("{addr:?} is no IPv4 or IPv6 address (a block is ADDRESS/BITS)")));
        };
        let max = if net.is_ipv4() { 32 } else { 128 };
        match bits.trim().parse::<u8>() {
            Ok(bits) if bits <= max => Some(Ok(Cidr { net: first(net, bits), bits })),
            _ => Some(Err(format!("{bits:?} is no prefix length for {addr} (0 to {max})"))),
        }
    }

    /// Whether `ip` is in the block (an IPv4 address written as IPv6, `::ffff:…`, is read as
    /// IPv4; an IPv4 block holds no other IPv6 address, nor the reverse).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        ip.is_ipv4() == self.net.is_ipv4() && first(ip, self.bits) == self.net
    }

    /// Whether `text` is an address in the block.
    pub fn contains_text(&self, text: &str) -> bool {
        text.parse::<IpAddr>().is_ok_and(|ip| self.contains(ip))
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.net, self.bits)
    }
}

/// A block made ready to test one index's addresses: an IPv4 address kept as its number is
/// tested as one; any other (IPv6, and what `Addr` keeps as text) by its text, decided once
/// per string of the index.
pub struct BlockTest {
    block: Cidr,
    /// Per string symbol: whether it is an address in the block.
    texts: Vec<bool>,
}

impl BlockTest {
    pub fn new(block: Cidr, strings: &Interner) -> BlockTest {
        BlockTest { block, texts: strings.iter().map(|(_, t)| block.contains_text(t)).collect() }
    }

    /// Whether the address (`Event::source_ip`) is in the block; no address is in none.
    pub fn holds(&self, a: Addr) -> bool {
        match (a.v4(), a.sym()) {
            (Some(v4), _) => self.block.contains(v4.into()),
            (None, Some(s)) => self.texts.get(s.0 as usize).copied().unwrap_or(false),
            (None, None) => false,
        }
    }
}

/// `ip` with the bits past the first `bits` cleared.
fn first(ip: IpAddr, bits: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(bits.min(32))).unwrap_or(0);
            IpAddr::V4((u32::from(v4) & mask).into())
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(bits.min(128))).unwrap_or(0);
            IpAddr::V6((u128::from(v6) & mask).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(s: &str) -> Cidr {
        Cidr::parse(s).expect("a slash").expect(s)
    }

    #[test]
    fn blocks_hold_the_addresses_of_their_prefix() {
        let b = block("203.0.113.0/24");
        for (ip, inside) in [
            ("203.0.113.0", true),
            ("203.0.113.255", true),
            ("203.0.114.0", false),
            ("203.0.112.255", false),
            ("::ffff:203.0.113.9", true),
            ("2001:db8::1", false),
            ("AWS Internal", false),
            ("203.0.113", false),
        ] {
            assert_eq!(b.contains_text(ip), inside, "{ip}");
        }
        assert_eq!(block("203.0.113.77/24"), b);
        assert_eq!(b.to_string(), "203.0.113.0/24");
        assert!(block("0.0.0.0/0").contains_text("255.255.255.255"));
        assert!(!block("0.0.0.0/0").contains_text("::1"));
        let one = block("198.51.100.7/32");
        assert!(one.contains_text("198.51.100.7") && !one.contains_text("198.51.100.6"));
        let v6 = block("2001:db8::/32");
        assert!(v6.contains_text("2001:db8:ffff::1") && !v6.contains_text("2001:db9::1"));
        assert!(!v6.contains_text("203.0.113.9"));
        assert!(block("::/0").contains_text("2600::1"));
        assert!(block("2001:db8::1/128").contains_text("2001:db8::1"));
    }

    #[test]
    fn what_is_no_block_says_why() {
        assert_eq!(Cidr::parse("203.0.113.7"), None);
        for bad in ["203.0.113.0/33", "2001:db8::/129", "203.0.113.0/", "203.0.113/24", "x/8", "10.0.0.0/-1"] {
            let why = Cidr::parse(bad).expect("a slash").expect_err(bad);
            assert!(!why.is_empty(), "{bad}");
        }
    }
}
