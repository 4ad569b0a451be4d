//! Work over `0..n` split among the cores once there is enough of it: the text search's
//! decisions per distinct string and its test of each row.

use std::ops::Range;

/// `work` over `0..n`, its results in order: in one part up to `split_at` items a part, else
/// in as many parts as there are cores (at most one per `split_at` items). A part whose
/// thread could not finish is done again here.
pub fn in_parts<T: Send>(n: usize, split_at: usize, work: impl Fn(Range<usize>) -> Vec<T> + Sync) -> Vec<T> {
    let parts = std::thread::available_parallelism().map_or(1, |p| p.get()).min(n / split_at.max(1)).max(1);
    if parts == 1 {
        return work(0..n);
    }
    let chunk = n.div_ceil(parts);
    let range = |k: usize| k * chunk..((k + 1) * chunk).min(n);
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..parts).map(|k| scope.spawn(move || work(range(k)))).collect();
        let mut out = Vec::new();
        for (k, h) in handles.into_iter().enumerate() {
            out.extend(h.join().unwrap_or_else(|_| work(range(k))));
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_give_back_every_result_in_order() {
        for n in [0, 1, 7, 100, 1_001] {
            let got = in_parts(n, 10, |r| r.map(|i| i * 3).collect());
            assert_eq!(got, (0..n).map(|i| i * 3).collect::<Vec<_>>(), "n = {n}");
        }
    }
}
