//! The timeline's view of the index: which events are shown, which is selected.
//! Rows are positions in `Index::events`; without a filter no list is materialised.

use super::filter::{Filter, Pattern, TextHits};
use tokentrail::model::Model;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// Shown event positions; None = every event.
    pub rows: Option<Vec<u32>>,
    /// The filters the rows pass, all of them (`filter`).
    pub filters: Vec<Filter>,
    /// The rows for the current filters are being worked out on another thread: this
    /// numbers the request, so that an older answer is dropped.
    pub generation: u64,
    pub pending: bool,
    pub selected: usize,
    pub offset: usize,
}

impl Timeline {
    pub fn len(&self, m: &Model) -> usize {
        self.rows.as_ref().map_or(m.ix.events.len(), Vec::len)
    }

    /// The event position of a row.
    pub fn event_at(&self, row: usize) -> Option<usize> {
        match &self.rows {
            Some(r) => r.get(row).map(|&e| e as usize),
            None => Some(row),
        }
    }

    pub fn selected_event(&self, m: &Model) -> Option<usize> {
        (self.selected < self.len(m)).then(|| self.event_at(self.selected)).flatten()
    }

    /// The active filters, numbered as `:drop N` takes them, for the status bar.
    pub fn filter_label(&self) -> Option<String> {
        (!self.filters.is_empty()).then(|| {
            let all: Vec<String> =
                self.filters.iter().enumerate().map(|(i, f)| format!("{} {}", i + 1, f.label())).collect();
            let pending = if self.pending { " (filtering…)" } else { "" };
            format!("{}{pending}", all.join(" · "))
        })
    }

    /// Shows `rows` (None: every event), keeping the selected event if it is still shown,
    /// else the first shown event at or after it.
    pub fn set_rows(&mut self, m: &Model, rows: Option<Vec<u32>>) {
        let keep = self.selected_event(m);
        self.rows = rows;
        self.pending = false;
        self.selected = match (keep, &self.rows) {
            (Some(e), Some(r)) => r.partition_point(|&x| (x as usize) < e).min(r.len().saturating_sub(1)),
            (Some(e), None) => e,
            (None, _) => 0,
        };
        self.offset = self.offset.min(self.selected);
    }

    pub fn clear_filter(&mut self, m: &Model, keep_event: Option<usize>) {
        self.rows = None;
        self.filters.clear();
        self.pending = false;
        self.generation += 1;
        self.selected = keep_event.unwrap_or(0).min(m.ix.events.len().saturating_sub(1));
    }

    /// Moves the selection by `delta` rows, clamped.
    pub fn move_by(&mut self, m: &Model, delta: isize) {
        let n = self.len(m);
        if n == 0 {
            self.selected = 0;
            return;
        }
        self.selected = (self.selected as isize + delta).clamp(0, n as isize - 1) as usize;
    }

    /// Keeps the selection within `height` visible rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if height > 0 && self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
    }

    /// The next row (after `from`, in `dir`) whose event has an error.
    pub fn find_error(&self, m: &Model, from: usize, forward: bool) -> Option<usize> {
        let n = self.len(m);
        let is_err = |row: usize| self.event_at(row).is_some_and(|e| m.ix.events[e].is_error());
        if forward { (from + 1..n).find(|&r| is_err(r)) } else { (0..from.min(n)).rev().find(|&r| is_err(r)) }
    }

    /// Rows whose event text contains `query` (case-insensitive): on every core past
    /// `SPLIT_AT` rows (an address is written out for each event a pattern of digits and
    /// dots is tried on).
    pub fn search(&self, m: &Model, query: &str) -> Vec<usize> {
        const SPLIT_AT: usize = 100_000;
        let hits = TextHits::new(m, &Pattern::literal(query));
        let hit = |r: &usize| self.event_at(*r).is_some_and(|e| hits.event(&m.ix.events[e]));
        super::in_parts::in_parts(self.len(m), SPLIT_AT, |rows| rows.filter(hit).collect())
    }
}
