//! The dual step and the least slacks it reads, kept as lower bounds (see
//! `dual_step`).

use super::{Slot, Solver, Weight, NONE};

impl<W: Weight> Solver<W> {
    /// The least-slack edge from `v` (or, for a blossom, from its vertices)
    /// to an S-blossom other than its own: recomputed when the one known
    /// led into a tree that has since dissolved.
    pub(super) fn least_slack_to_s(&mut self, b: u32) -> (u32, W) {
        let mut leaves = std::mem::take(&mut self.scratch);
        self.leaves(b, &mut leaves);
        let own = self.in_blossom[leaves[0] as usize];
        let mut best = (NONE, W::MAX);
        for &x in &leaves {
            self.spend(self.edges_of(x).len());
            let dual_x = self.dual[x as usize];
            for at in self.edges_of(x) {
                let Slot { d, to: y, twice } = self.out[at];
                let by = self.in_blossom[y as usize];
                if by != own && self.label[by as usize] == 1 {
                    let slack = dual_x + self.dual[y as usize] - twice;
                    if slack < best.1 {
                        best = (d, slack);
                    }
                }
            }
        }
        self.scratch = leaves;
        best
    }

    /// What `x`'s bound is about now: `Some(true)`, edges to other
    /// S-blossoms (`x` a top-level S-blossom); `Some(false)`, edges from S
    /// into `x`, a vertex without label in no labelled blossom; `None`,
    /// neither (a bound inside a T-blossom waits, unchanged, as its slacks
    /// do: S loses what T gains).
    pub(super) fn bound_of(&self, x: usize) -> Option<bool> {
        if self.best_edge[x] == NONE {
            return None;
        }
        let top_level = self.is_top(x);
        if top_level && self.label[x] == 1 {
            Some(true)
        } else if x < self.n && self.label[x] == 0 && self.label[self.in_blossom[x] as usize] == 0 {
            Some(false)
        } else {
            None
        }
    }

    /// Whether `x`'s bound is the slack of its edge, still from an S-vertex
    /// (to `x` when `x` is a vertex without label; out of `x` to another
    /// S-blossom when `x` is a top-level S-blossom).
    pub(super) fn bound_is_exact(&self, x: u32, to_blossom: bool) -> bool {
        let e = self.best_edge[x as usize];
        if e == NONE || self.slack(e) != self.best_slack[x as usize] {
            return false;
        }
        if to_blossom {
            let far = self.in_blossom[self.to(e) as usize];
            self.in_blossom[self.from(e) as usize] == x && far != x && self.label[far as usize] == 1
        } else {
            self.label[self.in_blossom[self.from(e) as usize] as usize] == 1
        }
    }

    /// Replaces `x`'s bound by its exact least slack (or none).
    pub(super) fn make_exact(&mut self, x: u32, to_blossom: bool) {
        let (found, slack) = self.least_slack_to_s(x);
        // A vertex's edge is kept from the S side, as the scan records it.
        let edge = match (found, to_blossom) {
            (NONE, _) => NONE,
            (e, true) => e,
            (e, false) => e ^ 1,
        };
        self.best_edge[x as usize] = edge;
        self.best_slack[x as usize] = slack;
    }

    /// Changes the duals by the largest step that keeps them feasible, and
    /// acts on what became tight. `false` when free vertices reached zero:
    /// the matching is optimal.
    ///
    /// `best_slack` holds lower bounds (an edge known stale, or a blossom's
    /// bound taken from its children, may understate the least slack, never
    /// overstate it): the step takes the least bound, made exact first when
    /// it is not, and only those.
    pub(super) fn dual_step(&mut self) -> bool {
        use std::cmp::Reverse;
        let n = self.n;
        // The step ends the search if free vertices reach zero first;
        // otherwise an edge from S to a vertex without label, or between
        // two S-blossoms, becomes tight, or a T-blossom's dual reaches zero.
        let free = self.dual[..n].iter().copied().min().unwrap_or(W::ZERO);
        let mut other = W::MAX;
        for b in n..2 * n {
            if self.is_top(b) && self.label[b] == 2 && self.dual[b] < other {
                other = self.dual[b];
            }
        }
        let mut bounds = std::collections::BinaryHeap::new();
        for x in 0..2 * n {
            match self.bound_of(x) {
                Some(true) => bounds.push(Reverse((self.best_slack[x] / W::TWO, x as u32, true))),
                Some(false) => bounds.push(Reverse((self.best_slack[x], x as u32, false))),
                None => {}
            }
        }
        let limit = if free <= other { free } else { other };
        let mut tight = W::MAX;
        while let Some(Reverse((bound, x, to_blossom))) = bounds.pop() {
            if bound >= limit {
                break;
            }
            if self.bound_is_exact(x, to_blossom) {
                tight = bound;
                break;
            }
            self.make_exact(x, to_blossom);
            if self.best_edge[x as usize] != NONE {
                let slack = self.best_slack[x as usize];
                bounds.push(Reverse((
                    if to_blossom { slack / W::TWO } else { slack },
                    x,
                    to_blossom,
                )));
            }
        }
        let delta = if tight < limit { tight } else { limit };
        for v in 0..n {
            match self.label[self.in_blossom[v] as usize] {
                1 => self.dual[v] -= delta,
                2 => self.dual[v] += delta,
                _ => {}
            }
        }
        for b in n..2 * n {
            if self.is_top(b) {
                match self.label[b] {
                    1 => self.dual[b] += delta,
                    2 => self.dual[b] -= delta,
                    _ => {}
                }
            }
        }
        if free <= other && free <= tight {
            return false;
        }
        // Bounds fall as the slacks they bound: edges between S-blossoms
        // by twice the step, from S to a vertex without label by the step,
        // to a vertex inside a T-blossom not at all.
        for x in 0..2 * n {
            match self.bound_of(x) {
                Some(true) => self.best_slack[x] -= delta + delta,
                Some(false) => self.best_slack[x] -= delta,
                None => {}
            }
        }
        // Everything this step made tight, not only what set its size.
        for x in 0..2 * n {
            let Some(to_blossom) = self.bound_of(x).filter(|_| self.best_slack[x] == W::ZERO) else {
                continue;
            };
            if !self.bound_is_exact(x as u32, to_blossom) {
                self.make_exact(x as u32, to_blossom);
                if self.best_edge[x] == NONE || self.best_slack[x] != W::ZERO {
                    continue;
                }
            }
            let best = self.best_edge[x];
            if to_blossom {
                self.queue.push(self.from(best));
            } else {
                // One tight edge is all an unlabelled vertex needs.
                let slot = Slot {
                    d: best,
                    to: x as u32,
                    twice: self.twice[(best >> 1) as usize],
                };
                self.pending.push((self.from(best), slot));
            }
        }
        for b in n..2 * n {
            if self.is_loose(b) {
                self.expand_blossom(b as u32);
            }
        }
        true
    }
}
