//! The files of a load, listed as the directory walk finds them: the walk runs on its own
//! thread and the workers start on the first files while it goes on (walking 17,305 files
//! takes ~20 ms, time the cores would otherwise spend waiting).

use super::source::Source;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

#[derive(Default)]
pub struct Listing {
    state: Mutex<State>,
    grown: Condvar,
}

#[derive(Default)]
struct State {
    files: Vec<Source>,
    complete: bool,
}

impl Listing {
    /// A listing that is already whole.
    pub fn complete(files: Vec<Source>) -> Self {
        Listing { state: Mutex::new(State { files, complete: true }), grown: Condvar::new() }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panicking walk leaves a listing that is still consistent (it only appends).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Lists more files, after those listed so far.
    pub fn extend(&self, files: Vec<Source>) {
        if !files.is_empty() {
            self.state().files.extend(files);
            self.grown.notify_all();
        }
    }

    /// No more files will be listed. (Also done when the returned guard drops, so a walk
    /// that panics cannot leave the workers waiting.)
    pub fn closer(&self) -> Closer<'_> {
        Closer(self)
    }

    fn close(&self) {
        self.state().complete = true;
        self.grown.notify_all();
    }

    /// File `i`, once it is listed; `None` if the listing ends before it.
    pub fn get(&self, i: usize) -> Option<Source> {
        let mut s = self.state();
        loop {
            if let Some(f) = s.files.get(i) {
                return Some(f.clone());
            }
            if s.complete {
                return None;
            }
            s = self.grown.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// How many files are listed so far.
    pub fn count(&self) -> usize {
        self.state().files.len()
    }

    /// The files listed so far.
    pub fn files(&self) -> Vec<Source> {
        self.state().files.clone()
    }

    /// The files, taken out (the listing is then empty).
    pub fn take_files(&self) -> Vec<Source> {
        std::mem::take(&mut self.state().files)
    }
}

/// Closes its listing when dropped.
pub struct Closer<'a>(&'a Listing);

impl Drop for Closer<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str) -> Source {
        Source::Memory { name: name.into(), bytes: std::sync::Arc::from(&b""[..]) }
    }

    #[test]
    fn a_reader_waits_for_files_still_to_be_listed_and_for_the_end() {
        let listing = Listing::default();
        std::thread::scope(|scope| {
            let reader = scope.spawn(|| (0..4).map(|i| listing.get(i).map(|f| f.name())).collect::<Vec<_>>());
            let _closer = listing.closer();
            listing.extend(vec![file("a")]);
            std::thread::sleep(std::time::Duration::from_millis(20));
            listing.extend(vec![file("b"), file("c")]);
            drop(_closer);
            let got = reader.join().expect("reader");
            assert_eq!(got, [Some("a".into()), Some("b".into()), Some("c".into()), None]);
        });
        assert_eq!(listing.take_files().len(), 3);
    }

    #[test]
    fn a_walk_that_panics_still_ends_the_listing() {
        let listing = Listing::default();
        std::thread::scope(|scope| {
            let walk = scope.spawn(|| {
                let _closer = listing.closer();
                listing.extend(vec![file("a")]);
                panic!("walk failed");
            });
            assert_eq!(listing.get(1).map(|f| f.name()), None);
            assert!(walk.join().is_err());
        });
    }
}
