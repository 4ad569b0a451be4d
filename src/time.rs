//! Timestamps as CloudTrail writes them, normalised to milliseconds since the Unix epoch (UTC).
//!
//! Real logs use several shapes: `2019-08-10T12:34:56Z` (eventTime), `20131102T010628Z`
//! (old creationDate), `2024-01-15T11:45:22.456000` (lookup-events without a zone),
//! `2022-01-21 16:38:27.000` (CloudTrail Lake), and the US-locale credential expiration
//! `Aug 10, 2019 1:34:56 PM` / `Nov 30, 2024, 8:43:17 PM`. Anything else is `None`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

/// The times accepted: what CloudTrail writes, years 1970 to 9999 (so that every time
/// accepted prints as RFC 3339 that is accepted again, e.g. by `--since`).
pub const FIRST_ACCEPTED: Millis = 0;
pub const END_ACCEPTED: Millis = 253_402_300_800_000; // 10000-01-01T00:00:00Z

/// Parses any timestamp shape CloudTrail is known to write, years 1970–9999; anything
/// else (signed or six-digit years, a tab for a separator, control characters) is `None`.
pub fn parse_time(s: &str) -> Option<Millis> {
    parse_any(s).filter(|t| (FIRST_ACCEPTED..END_ACCEPTED).contains(t))
}

fn parse_any(s: &str) -> Option<Millis> {
    if let Some(ms) = parse_iso_fast(s.as_bytes()) {
        return Some(ms);
    }
    let s = s.trim_matches(' ');
    // chrono's formats take any white space for a space and signed years of any length:
    // CloudTrail writes neither.
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_graphic() || b == b' ') || s.starts_with(['+', '-']) {
        return None;
    }
    if let Some(ms) = parse_iso_fast(s.as_bytes()) {
        return Some(ms);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp_millis());
    }
    const NAIVE: [&str; 4] =
        ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y%m%dT%H%M%SZ", "%Y-%m-%d %H:%M:%S%.fZ"];
    for f in NAIVE {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return Some(n.and_utc().timestamp_millis());
        }
    }
    parse_expiration(s)
}

/// `Aug 10, 2019 1:34:56 PM` and `Nov 30, 2024, 8:43:17 PM` (UTC).
pub fn parse_expiration(s: &str) -> Option<Millis> {
    let cleaned = s.trim().replace(", ", " ").replace(',', " ");
    let cleaned: String = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    NaiveDateTime::parse_from_str(&cleaned, "%b %d %Y %I:%M:%S %p").ok().map(|n| n.and_utc().timestamp_millis())
}

/// The hot path: `YYYY-MM-DDTHH:MM:SS[.fff…]Z` without allocation. The fixed part is read as
/// three words (bytes 0–7, 8–15 and 11–18) and checked eight bytes at a time (SWAR), not a
/// branch per byte.
fn parse_iso_fast(b: &[u8]) -> Option<Millis> {
    let (head, rest) = b.split_first_chunk::<19>()?;
    const ONES: u64 = u64::MAX / 255;
    let word = |at: usize, sep_mask: u64, seps: u64| -> Option<u64> {
        let w = u64::from_le_bytes(*head[at..].first_chunk::<8>()?);
        if w & sep_mask != seps {
            return None;
        }
        // Separators read as '0', so that every byte should now be a digit: a byte above '9'
        // sets its high bit when 0x46 is added, one below '0' when 0x30 is taken off. (The
        // lowest wrong byte is always caught: the digits below it carry and borrow nothing.)
        let w = (w & !sep_mask) | ((ONES * u64::from(b'0')) & sep_mask);
        let wrong = (w.wrapping_add(ONES * 0x46) | w.wrapping_sub(ONES * u64::from(b'0'))) & (ONES << 7);
        (wrong == 0).then(|| w - ONES * u64::from(b'0'))
    };
    // Separators as (mask, bytes): `YYYY-MM-` at 4 and 7; `DDTHH:MM` and `HH:MM:SS` at 2 and 5.
    const AT_4_7: u64 = 0xff00_00ff_0000_0000;
    const AT_2_5: u64 = 0x0000_ff00_00ff_0000;
    let w0 = word(0, AT_4_7, 0x2d00_002d_0000_0000)?;
    let w1 = word(8, AT_2_5, 0x0000_3a00_0054_0000)?;
    let w2 = word(11, AT_2_5, 0x0000_3a00_003a_0000)?;
    let two = |w: u64, i: u32| (((w >> (8 * i)) & 0xff) * 10 + ((w >> (8 * i + 8)) & 0xff)) as u32;
    let (y, mo, day) = (two(w0, 0) * 100 + two(w0, 2), two(w0, 5), two(w1, 0));
    let (h, mi, sec) = (two(w1, 3), two(w1, 6), two(w2, 6));
    let (ms, zone) = match rest {
        [b'.', fraction @ ..] => {
            let digits = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            let ms = fraction[..digits].iter().chain(b"00").take(3).fold(0, |v, &c| v * 10 + u32::from(c - b'0'));
            (ms, &fraction[digits..])
        }
        _ => (0, rest),
    };
    if zone != b"Z" {
        return None;
    }
    utc_millis(y, mo, day, h, mi, sec, ms)
}

/// A UTC date and time of day as milliseconds since the epoch, or None if there is no such
/// moment (a 31st of April, an hour 24).
pub(crate) fn utc_millis(y: u32, mo: u32, d: u32, h: u32, mi: u32, sec: u32, ms: u32) -> Option<Millis> {
    if h > 23 || mi > 59 || sec > 59 || ms > 999 {
        return None;
    }
    let day = days_from_civil(y, mo, d)?;
    Some(((day * 24 + i64::from(h)) * 60 + i64::from(mi)) * 60_000 + i64::from(sec) * 1000 + i64::from(ms))
}

/// Days since 1970-01-01 of a proleptic Gregorian date, or None if there is no such date
/// (H. Hinnant's `days_from_civil`; a million events a second make chrono's checks show).
fn days_from_civil(y: u32, m: u32, d: u32) -> Option<i64> {
    if d == 0 || !(1..=12).contains(&m) || y > 999_999 {
        return None;
    }
    // Every month has 28 days; only later days need the month's length.
    if d > 28 {
        let leap = y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
        let days = if m == 2 { 28 + u32::from(leap) } else { 30 + ((m + m / 8) & 1) };
        if d > days {
            return None;
        }
    }
    // Years counted from March, shifted by one era (400 years) so that all is unsigned.
    let y = y + 400 - u32::from(m <= 2);
    let (era, yoe) = (y / 400, y % 400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((i64::from(era) - 1) * 146_097 + i64::from(doe) - 719_468)
}

/// `2019-08-10T12:34:56Z`, with milliseconds only when they are not zero.
pub fn format_time(ms: Millis) -> String {
    match Utc.timestamp_millis_opt(ms).single() {
        Some(dt) if ms % 1000 == 0 => dt.to_rfc3339_opts(SecondsFormat::Secs, true),
        Some(dt) => dt.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => format!("@{ms}ms"),
    }
}

/// `2019-08-10 12:34:56`, compact for table columns.
pub fn format_short(ms: Millis) -> String {
    match Utc.timestamp_millis_opt(ms).single() {
        Some(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
        None => "?".to_string(),
    }
}

/// Parses a user-supplied time bound: RFC 3339, a date, or any CloudTrail shape.
pub fn parse_bound(s: &str) -> Option<Millis> {
    let t = s.trim();
    let minute = || {
        ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok().filter(|_| t.len() == 16))
            .map(|n| n.and_utc().timestamp_millis())
    };
    let day = || {
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .ok()
            .filter(|_| t.len() == 10)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|n| n.and_utc().timestamp_millis())
    };
    parse_time(s).or_else(|| minute().or_else(day).filter(|t| (FIRST_ACCEPTED..END_ACCEPTED).contains(t)))
}

/// What `parse_bound` reads, for the message when it cannot.
pub const BOUND_FORMATS: &str =
    "RFC 3339 (2024-11-30T09:00:00Z), YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC; also YYYY-MM-DDTHH:MM)";

/// The message for a time `parse_bound` cannot read.
pub fn unreadable_time(s: &str) -> String {
    format!("cannot read time {s:?}: give {BOUND_FORMATS}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_shape_parses_to_the_same_instant() {
        let want = parse_time("2019-08-10T13:34:56Z").expect("iso");
        for s in [
            "2019-08-10T13:34:56Z",
            "2019-08-10T13:34:56.000Z",
            "2019-08-10T13:34:56",
            "2019-08-10 13:34:56.000",
            "2019-08-10 13:34:56.000000000",
            "20190810T133456Z",
            "2019-08-10T13:34:56+00:00",
            "Aug 10, 2019 1:34:56 PM",
            "Aug 10, 2019, 1:34:56 PM",
        ] {
            assert_eq!(parse_time(s), Some(want), "{s}");
        }
    }

    #[test]
    fn the_fast_path_agrees_with_chrono_on_every_day_and_rejects_impossible_ones() {
        let mut day = NaiveDate::from_ymd_opt(1600, 1, 1).expect("date");
        let end = NaiveDate::from_ymd_opt(2500, 1, 1).expect("date");
        while day < end {
            let s = format!("{}T23:59:58.250Z", day.format("%Y-%m-%d"));
            let want = day.and_hms_milli_opt(23, 59, 58, 250).map(|t| t.and_utc().timestamp_millis());
            assert_eq!(parse_iso_fast(s.as_bytes()), want, "{s}");
            day = day.succ_opt().expect("next day");
        }
        for bad in [
            "2023-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-00-10T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z",
            "2024-01-01T00:00:60Z",
        ] {
            assert_eq!(parse_iso_fast(bad.as_bytes()), None, "{bad}");
        }
        assert!(parse_iso_fast(b"2024-02-29T00:00:00Z").is_some() && parse_iso_fast(b"2000-02-29T00:00:00Z").is_some());
    }

    #[test]
    fn the_fast_path_rejects_any_byte_out_of_place() {
        let good = *b"2024-11-15T12:34:56Z";
        assert!(parse_iso_fast(&good).is_some());
        for at in 0..19 {
            for c in [b'/', b':', b'-', b'T', b' ', b'a', b'0' - 1, b'9' + 1, b'0', b'5'] {
                let mut b = good;
                b[at] = c;
                let fits = if [4, 7, 10, 13, 16].contains(&at) { c == good[at] } else { c.is_ascii_digit() };
                if !fits {
                    assert_eq!(parse_iso_fast(&b), None, "{}", String::from_utf8_lossy(&b));
                }
            }
        }
        for (s, ms) in [(".1Z", 100), (".12Z", 120), (".123Z", 123), (".123456789Z", 123)] {
            assert_eq!(parse_iso_fast(format!("2024-11-15T12:34:56{s}").as_bytes()).map(|t| t % 1000), Some(ms), "{s}");
        }
        for tail in ["", "z", ".Z", "Z ", ".5", "+00:00"] {
            assert_eq!(parse_iso_fast(format!("2024-11-15T12:34:56{tail}").as_bytes()), None, "{tail}");
        }
    }

    #[test]
    fn fractional_seconds_keep_milliseconds() {
        assert_eq!(parse_time("2024-01-15T11:45:22.456000").map(|m| m % 1000), Some(456));
        assert_eq!(parse_time("2024-01-15T11:45:22.4Z").map(|m| m % 1000), Some(400));
    }

    #[test]
    fn nonsense_is_none_not_a_panic() {
        for s in ["", "redacted", "...", "2019-13-45T99:99:99Z", "Foo 99, 2019 1:00:00 PM", "2019-08-10T13:34:56.Z"] {
            assert_eq!(parse_time(s), None, "{s}");
        }
    }

    #[test]
    fn only_years_1970_to_9999_and_cloudtrail_separators_are_accepted() {
        for s in [
            "-262143-01-01T00:00:00",
            "+262142-12-31T23:59:59",
            "+2024-01-01T00:00:00Z",
            "2024-01-01\t00:00:00",
            "2024-01-01\n00:00:00",
            "1969-12-31T23:59:59Z",
            "10000-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_time(s), None, "{s:?}");
        }
        for s in ["1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2022-01-21 16:38:27.000"] {
            let t = parse_time(s).expect(s);
            assert_eq!(parse_bound(&format_time(t)), Some(t / 1000 * 1000), "{s} prints in a form accepted again");
        }
    }

    #[test]
    fn format_round_trips() {
        let ms = parse_time("2024-11-30T20:43:17Z").expect("t");
        assert_eq!(format_time(ms), "2024-11-30T20:43:17Z");
        assert_eq!(parse_expiration("Nov 30, 2024, 8:43:17 PM"), Some(ms));
    }
}
