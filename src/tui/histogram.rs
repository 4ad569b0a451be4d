//! The timeline's histogram: event counts over time in bins as wide as the pane, every event
//! against the ones the filters show, with a time axis (start, end, bin width) and a cursor at
//! the selected event. It spans the whole logs, or (zoomed, `H`) the events on screen. Worked
//! out by `view::settle` when what it shows changes, so that drawing only reads it.

use super::timeline::Timeline;
use tokentrail::model::Model;
use tokentrail::time::Millis;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Histogram {
    pub start: Millis,
    pub end: Millis,
    pub bin_ms: Millis,
    /// Every event, per bin.
    pub all: Vec<u64>,
    /// The events the filters show, per bin.
    pub shown: Vec<u64>,
    /// The selected event's bin.
    pub cursor: Option<usize>,
    /// What it was worked out for: (filters generation, start, end, bins, rows shown).
    key: (u64, Millis, Millis, usize, usize),
}

impl Histogram {
    /// The histogram for `bins` columns over [start, end], reusing `old` when nothing it
    /// counts changed (only the cursor is worked out again).
    pub fn build(old: &Histogram, m: &Model, t: &Timeline, bins: usize, range: (Millis, Millis)) -> Histogram {
        let (start, end) = (range.0, range.1.max(range.0 + 1));
        let bins = bins.max(1);
        let bin_ms = ((end - start + 1) as f64 / bins as f64).ceil().max(1.0) as Millis;
        let key = (t.generation, start, end, bins, t.len(m));
        let mut h = if old.key == key && !old.all.is_empty() {
            old.clone()
        } else {
            let bin = |time: Millis| (((time - start) / bin_ms) as usize).min(bins - 1);
            let mut all = vec![0u64; bins];
            for e in &m.ix.events[m.ix.time_span(Some(start), Some(end + 1))] {
                all[bin(e.time)] += 1;
            }
            let shown = match &t.rows {
                None => all.clone(),
                Some(rows) => {
                    let mut shown = vec![0u64; bins];
                    let lo = rows.partition_point(|&r| m.ix.events[r as usize].time < start);
                    for &r in rows[lo..].iter().take_while(|&&r| m.ix.events[r as usize].time <= end) {
                        shown[bin(m.ix.events[r as usize].time)] += 1;
                    }
                    shown
                }
            };
            Histogram { start, end, bin_ms, all, shown, cursor: None, key }
        };
        h.cursor = t
            .selected_event(m)
            .map(|e| m.ix.events[e].time)
            .filter(|&time| (start..=end).contains(&time))
            .map(|time| (((time - start) / bin_ms) as usize).min(bins - 1));
        h
    }
}

/// A bin width in words: `30 s`, `15 min`, `2 h`, `1 d`.
pub fn width_text(ms: Millis) -> String {
    let s = ms / 1000;
    match s {
        s if s < 120 => format!("{} s", s.max(1)),
        s if s < 7_200 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3600),
        s => format!("{} d", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bin_widths_read_as_an_analyst_would() {
        assert_eq!(width_text(500), "1 s");
        assert_eq!(width_text(90_000), "90 s");
        assert_eq!(width_text(900_000), "15 min");
        assert_eq!(width_text(3 * 3_600_000), "3 h");
        assert_eq!(width_text(3 * 86_400_000), "3 d");
    }
}
