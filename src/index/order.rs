//! Putting events in time order as files arrive, instead of sorting them all at the end.
//!
//! CloudTrail names each file with a time (`…_20241115T0005Z_…`), and the loader hands files
//! over in that order, every account and region interleaved. Each file's events come sorted
//! (its worker sorts them). So an event can be placed for good once no file still to come
//! can hold an earlier one: files named from `frontier + LATENESS` on are assumed not to hold
//! events older than `frontier`. Files wait in a heap keyed by their next event; whatever is
//! older than the frontier is moved to the index, in order, once.
//!
//! Nothing here has to be right for the result to be: an event older than what is already
//! placed (a delivery later than assumed) is set aside and merged in at the end, files
//! without a time in their name are appended as they come, and `finish` checks the order
//! and sorts if it is not (the price of a wrong guess is time, never a wrong index).

use super::event::Event;
use crate::time::Millis;
use std::cmp::Ordering;

/// How much earlier than its name's time a file's events are assumed to be, at most.
/// (CloudTrail delivers most events within about 5 minutes; larger delays only cost time.)
pub const LATENESS: Millis = 30 * 60 * 1000;

#[derive(Clone, Default)]
pub struct Orderer {
    /// Files whose events are not all placed, each with the position of its next event.
    waiting: Vec<(Vec<Event>, usize)>,
    /// Indices into `waiting`, a binary heap by next event (smallest on top).
    heap: Vec<usize>,
    /// Emptied slots of `waiting`, and emptied vectors, for reuse.
    free: Vec<usize>,
    spare: Vec<Vec<Event>>,
    /// The latest file time seen: events older than it minus `LATENESS` can be placed.
    latest: Option<Millis>,
    /// Events older than some already placed, to be merged in at the end.
    late: Vec<Event>,
    waiting_events: usize,
}

impl Orderer {
    /// A vector to fill with one file's events (recycled from an earlier file).
    pub fn file_buffer(&mut self) -> Vec<Event> {
        self.spare.pop().unwrap_or_default()
    }

    /// How many events wait in files or aside.
    pub fn held(&self) -> usize {
        self.waiting_events + self.late.len()
    }

    /// Adds one file's events, sorted by `order`, from a file named with time `named` (if its
    /// name has one); moves every event that can now be placed onto `placed`.
    pub fn add(
        &mut self,
        mut events: Vec<Event>,
        named: Option<Millis>,
        order: &impl Fn(&Event, &Event) -> Ordering,
        placed: &mut Vec<Event>,
    ) {
        let Some(named) = named else {
            // No time to order by: appended as it comes; `finish` sorts.
            placed.append(&mut events);
            self.spare.push(events);
            return;
        };
        let latest = self.latest.map_or(named, |t| t.max(named));
        self.latest = Some(latest);
        // Whatever sorts before the last placed event is too late to be placed in order.
        if let Some(last) = placed.last() {
            let late = events.partition_point(|e| order(e, last) == Ordering::Less);
            self.late.extend(events.drain(..late));
        }
        if events.is_empty() {
            self.spare.push(events);
        } else {
            self.waiting_events += events.len();
            let slot = match self.free.pop() {
                Some(s) => {
                    self.waiting[s] = (events, 0);
                    s
                }
                None => {
                    self.waiting.push((events, 0));
                    self.waiting.len() - 1
                }
            };
            self.heap.push(slot);
            self.sift_up(self.heap.len() - 1, order);
        }
        self.place_before(Some(latest.saturating_sub(LATENESS)), order, placed);
    }

    /// Places every waiting event (the load is over).
    pub fn drain(&mut self, order: &impl Fn(&Event, &Event) -> Ordering, placed: &mut Vec<Event>) {
        self.place_before(None, order, placed);
    }

    /// The events set aside as late, sorted.
    pub fn take_late(&mut self, order: &impl Fn(&Event, &Event) -> Ordering) -> Vec<Event> {
        let mut late = std::mem::take(&mut self.late);
        late.sort_by(order);
        late
    }

    /// Places waiting events, in order, that are older than `frontier` (all of them: None).
    fn place_before(
        &mut self,
        frontier: Option<Millis>,
        order: &impl Fn(&Event, &Event) -> Ordering,
        placed: &mut Vec<Event>,
    ) {
        while let Some(&top) = self.heap.first() {
            // The runner-up's next event: the top file's events before it go in one move.
            let runner_up = [1, 2]
                .into_iter()
                .filter(|&c| c < self.heap.len())
                .reduce(|a, b| if self.before(b, a, order) { b } else { a })
                .and_then(|c| {
                    let (events, next) = &self.waiting[self.heap[c]];
                    events.get(*next).copied()
                });
            let (events, next) = &mut self.waiting[top];
            let start = *next;
            let mut end = start;
            while let Some(e) = events.get(end) {
                let in_turn = runner_up.as_ref().is_none_or(|r| order(e, r) == Ordering::Less);
                if !in_turn || frontier.is_some_and(|f| e.time >= f) {
                    break;
                }
                end += 1;
            }
            if end == start {
                break; // the top event waits for the frontier
            }
            placed.extend_from_slice(&events[start..end]);
            *next = end;
            self.waiting_events -= end - start;
            if end == events.len() {
                let mut done = std::mem::take(events);
                done.clear();
                self.spare.push(done);
                self.free.push(top);
                let last = self.heap.pop().unwrap_or(top);
                if !self.heap.is_empty() {
                    self.heap[0] = last;
                    self.sift_down(0, order);
                }
            } else {
                self.sift_down(0, order);
            }
        }
    }

    /// Heap entry `a`'s next event sorts before `b`'s.
    fn before(&self, a: usize, b: usize, order: &impl Fn(&Event, &Event) -> Ordering) -> bool {
        let head = |i: usize| {
            let (events, next) = &self.waiting[self.heap[i]];
            events.get(*next)
        };
        match (head(a), head(b)) {
            (Some(x), Some(y)) => order(x, y) == Ordering::Less,
            (Some(_), None) => true,
            _ => false,
        }
    }

    fn sift_up(&mut self, mut i: usize, order: &impl Fn(&Event, &Event) -> Ordering) {
        while i > 0 {
            let parent = (i - 1) / 2;
            if !self.before(i, parent, order) {
                break;
            }
            self.heap.swap(i, parent);
            i = parent;
        }
    }

    fn sift_down(&mut self, mut i: usize, order: &impl Fn(&Event, &Event) -> Ordering) {
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut best = i;
            if l < self.heap.len() && self.before(l, best, order) {
                best = l;
            }
            if r < self.heap.len() && self.before(r, best, order) {
                best = r;
            }
            if best == i {
                return;
            }
            self.heap.swap(i, best);
            i = best;
        }
    }
}

/// The time in a CloudTrail log file's name (`…_20241115T0005Z_…`), if it has one.
pub fn name_time(path: &str) -> Option<Millis> {
    let s = name_stamp(path)?;
    let two = |unit: u64| (s / unit % 100) as u32;
    crate::time::utc_millis((s / 100_000_000) as u32, two(1_000_000), two(10_000), two(100), two(1), 0, 0)
}

/// The `YYYYMMDDTHHMM` part of a CloudTrail log file's name, digits checked, as the number
/// `YYYYMMDDHHMM`: in the order of the times they name (a sort key that costs no date
/// arithmetic, and compares as one integer).
pub fn name_stamp(path: impl AsRef<[u8]>) -> Option<u64> {
    let path = path.as_ref();
    let name = path.rsplit(|&c| c == b'/' || c == b'\\').next()?;
    let b = name.split(|&c| c == b'_').find(|b| {
        b.len() == 14 && b[8] == b'T' && b[13] == b'Z' && b[..8].iter().chain(&b[9..13]).all(u8::is_ascii_digit)
    })?;
    Some(b[..8].iter().chain(&b[9..13]).fold(0, |n, &c| n * 10 + u64::from(c - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::event::{NO_DETAIL, NO_SESSION, RawRef};
    use crate::index::event_id::EventId;
    use crate::index::intern::{Interner, Sym};

    const MIN: Millis = 60_000;

    fn event(time: Millis, file: u32, ordinal: u32) -> Event {
        let id = EventId::new("x", &mut Interner::default());
        let raw = RawRef::new(file, ordinal, false);
        Event {
            time,
            id,
            call: 0,
            signer: 0,
            addr: crate::index::addr::Addr::NONE,
            agent: Sym::NONE,
            session: NO_SESSION,
            detail: NO_DETAIL,
            raw,
        }
    }

    fn order(a: &Event, b: &Event) -> Ordering {
        (a.time, a.raw.file, a.raw.ordinal()).cmp(&(b.time, b.raw.file, b.raw.ordinal()))
    }

    fn key(e: &Event) -> (Millis, u32, u32) {
        (e.time, e.raw.file, e.raw.ordinal())
    }

    #[test]
    fn reads_the_time_in_cloudtrail_file_names() {
        let p = "AWSLogs/1/CloudTrail/eu-west-1/2024/11/15/1_CloudTrail_eu-west-1_20241115T0005Z_ab12.json.gz";
        assert_eq!(name_time(p), crate::time::parse_time("2024-11-15T00:05:00Z"));
        assert_eq!(name_time("1_CloudTrail_eu-west-1_20241315T0005Z_ab.json.gz"), None); // month 13
        assert_eq!(name_time("events.json"), None);
        assert_eq!(name_time("x_20241115T00:5Z_y"), None);
        let (a, b) = ("1_CloudTrail_r_20241115T2355Z_a.json.gz", "1_CloudTrail_r_20241116T0000Z_a.json.gz");
        assert!(name_stamp(a) < name_stamp(b) && name_time(a) < name_time(b), "stamps sort as times");
    }

    /// Streams of files named every five minutes, each file's events drawn around its time
    /// (some much later than assumed), merged as the loader would hand them over.
    #[test]
    fn places_events_in_order_whatever_their_lateness() {
        let mut seed = 5u64;
        let mut rand = move |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for (streams, files, spread) in [(1, 50, 5 * MIN), (3, 200, 10 * MIN), (2, 100, 120 * MIN), (4, 30, 1)] {
            let mut named: Vec<(Millis, u32, Vec<Event>)> = Vec::new();
            let mut file = 0;
            for s in 0..streams {
                for f in 0..files {
                    let t = f as Millis * 5 * MIN + s;
                    let n = rand(40) as u32;
                    let mut evs: Vec<Event> =
                        (0..n).map(|o| event(t - rand(spread as u64) as Millis, file, o)).collect();
                    evs.sort_by(order);
                    named.push((t, file, evs));
                    file += 1;
                }
            }
            named.sort_by_key(|(t, f, _)| (*t, *f));
            let mut want: Vec<_> = named.iter().flat_map(|(_, _, e)| e.iter().map(key)).collect();
            want.sort();
            let mut o = Orderer::default();
            let mut placed: Vec<Event> = Vec::new();
            for (t, _, evs) in named {
                let mut buf = o.file_buffer();
                buf.extend(evs);
                o.add(buf, Some(t), &order, &mut placed);
                assert!(placed.is_sorted_by(|a, b| order(a, b) != Ordering::Greater), "placed in order");
            }
            o.drain(&order, &mut placed);
            let late = o.take_late(&order);
            assert_eq!(!late.is_empty(), spread > LATENESS, "events set aside only when later than assumed");
            placed.extend(late);
            placed.sort_by(order); // what `finish` does when late events were set aside
            assert_eq!(placed.iter().map(key).collect::<Vec<_>>(), want, "{streams} streams, spread {spread}");
            assert_eq!(o.held(), 0);
        }
    }

    #[test]
    fn files_without_a_time_are_appended_at_once() {
        let mut o = Orderer::default();
        let mut placed = vec![event(7, 1, 0)];
        o.add(vec![event(5, 0, 0), event(9, 0, 1)], None, &order, &mut placed);
        assert_eq!(placed.iter().map(key).collect::<Vec<_>>(), [(7, 1, 0), (5, 0, 0), (9, 0, 1)]);
        assert_eq!(o.held(), 0);
    }
}
