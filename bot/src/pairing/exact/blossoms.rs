//! Blossoms: made when an S–S edge closes an odd cycle of a tree, expanded
//! when a T-blossom's dual reaches zero, and walked through when a path
//! augments (the invariants are the module's above).

use super::{Solver, Weight, NONE};

impl<W: Weight> Solver<W> {
    /// Follows the trees up from the ends of an S–S edge: the base of the
    /// blossom it closes, or `NONE` when it joins two trees (augmenting).
    pub(super) fn scan_blossom(&mut self, v: u32, w: u32) -> u32 {
        let mut path = std::mem::take(&mut self.scratch);
        path.clear();
        let mut found = NONE;
        let (mut v, mut w) = (v, w);
        while v != NONE {
            let b = self.in_blossom[v as usize];
            if self.label[b as usize] & 4 != 0 {
                found = self.base[b as usize];
                break;
            }
            path.push(b);
            self.label[b as usize] = 5;
            let d = self.label_edge[b as usize];
            if d == NONE {
                v = NONE;
            } else {
                let t = self.in_blossom[self.from(d) as usize];
                v = self.from(self.label_edge[t as usize]);
            }
            if w != NONE {
                std::mem::swap(&mut v, &mut w);
            }
        }
        for &b in &path {
            self.label[b as usize] = 1;
        }
        self.scratch = path;
        found
    }

    /// Makes a blossom of the cycle that S–S edge `d` closes, with `base`.
    pub(super) fn add_blossom(&mut self, base: u32, d: u32) {
        let (mut v, mut w) = (self.from(d), self.to(d));
        let bb = self.in_blossom[base as usize];
        let mut bv = self.in_blossom[v as usize];
        let mut bw = self.in_blossom[w as usize];
        // Blossoms nest as a laminar family of odd cycles of at least three:
        // fewer than n/2 at a time, so ids n..2n never run out.
        let b = self.unused.pop().expect("fewer than n/2 blossoms");
        let bu = b as usize;
        self.base[bu] = base;
        self.parent[bu] = NONE;
        self.parent[bb as usize] = b;
        let mut path = std::mem::take(&mut self.children[bu]);
        let mut edges = std::mem::take(&mut self.blossom_edges[bu]);
        path.clear();
        edges.clear();
        edges.push(d);
        while bv != bb {
            self.parent[bv as usize] = b;
            path.push(bv);
            let e = self.label_edge[bv as usize];
            edges.push(e);
            v = self.from(e);
            bv = self.in_blossom[v as usize];
        }
        path.push(bb);
        path.reverse();
        edges.reverse();
        while bw != bb {
            self.parent[bw as usize] = b;
            path.push(bw);
            let e = self.label_edge[bw as usize];
            edges.push(e ^ 1);
            w = self.from(e);
            bw = self.in_blossom[w as usize];
        }
        self.label[bu] = 1;
        self.label_edge[bu] = self.label_edge[bb as usize];
        self.dual[bu] = W::ZERO;
        self.tree[bu] = self.tree[bb as usize];
        self.members.add(self.tree[bu], b);
        self.blossom_edges[bu] = edges;
        self.children[bu] = path;
        let mut leaves = std::mem::take(&mut self.scratch);
        self.leaves(b, &mut leaves);
        for &x in &leaves {
            if self.label[self.in_blossom[x as usize] as usize] == 2 {
                // A former T-vertex is now S: its edges are to be scanned.
                self.queue.push(x);
            }
            self.in_blossom[x as usize] = b;
        }
        // Its least slack to another S-blossom is at least the least of
        // what its S-children knew (a bound, see `best_slack`; the former
        // T-vertices offer theirs as they are scanned).
        let mut best = (NONE, W::MAX);
        for c in 0..self.children[bu].len() {
            let child = self.children[bu][c] as usize;
            if self.label[child] == 1 && self.best_edge[child] != NONE && self.best_slack[child] < best.1 {
                best = (self.best_edge[child], self.best_slack[child]);
            }
            self.best_edge[child] = NONE;
        }
        self.scratch = leaves;
        (self.best_edge[bu], self.best_slack[bu]) = best;
    }

    /// Index `j` (negative counts from the end) into a blossom's cycle.
    pub(super) fn at(len: usize, j: isize) -> usize {
        j.rem_euclid(len as isize) as usize
    }

    /// Dissolves blossom `b` into its children: a T-blossom whose dual
    /// reached zero, relabelling the path through it.
    pub(super) fn expand_blossom(&mut self, b: u32) {
        let bu = b as usize;
        let children = std::mem::take(&mut self.children[bu]);
        let mut leaves = std::mem::take(&mut self.scratch);
        for &s in &children {
            self.parent[s as usize] = NONE;
            self.leaves(s, &mut leaves);
            for &x in &leaves {
                self.in_blossom[x as usize] = s;
            }
        }
        self.scratch = leaves;
        if self.label[bu] == 2 {
            self.relabel_expanded(b, &children);
        }
        self.label[bu] = 0;
        self.label_edge[bu] = NONE;
        self.best_edge[bu] = NONE;
        self.base[bu] = NONE;
        self.dual[bu] = W::ZERO;
        self.blossom_edges[bu].clear();
        self.unused.push(b);
    }

    /// After a T-blossom is expanded: its children on the even path from the
    /// entry to the base become T and S in turn; the others lose their label
    /// unless a vertex of theirs was reached.
    pub(super) fn relabel_expanded(&mut self, b: u32, children: &[u32]) {
        let bu = b as usize;
        let len = children.len();
        let entry_edge = self.label_edge[bu];
        let entry_child = self.in_blossom[self.to(entry_edge) as usize];
        let mut j = children.iter().position(|&c| c == entry_child).unwrap_or(0) as isize;
        let step: isize = if j & 1 == 1 {
            j -= len as isize;
            1
        } else {
            -1
        };
        let edges = std::mem::take(&mut self.blossom_edges[bu]);
        let mut vw = entry_edge;
        while j != 0 {
            // The far end of the cycle edge leading on from `w`'s child.
            let q = if step == 1 {
                self.to(edges[Self::at(len, j)])
            } else {
                self.from(edges[Self::at(len, j - 1)])
            };
            let w = self.to(vw);
            self.label[w as usize] = 0;
            self.label[q as usize] = 0;
            self.assign_label(w, 2, vw);
            j += step;
            vw = if step == 1 {
                edges[Self::at(len, j)]
            } else {
                edges[Self::at(len, j - 1)] ^ 1
            };
            j += step;
        }
        let bw = children[Self::at(len, j)];
        let w = self.to(vw);
        for x in [w, bw] {
            self.label[x as usize] = 2;
            self.label_edge[x as usize] = vw;
        }
        let root = self.tree[self.in_blossom[self.from(vw) as usize] as usize];
        self.tree[bw as usize] = root;
        if bw as usize >= self.n && self.dual[bw as usize] == W::ZERO {
            self.loose.push(bw);
        }
        self.members.add(root, bw);
        self.best_edge[bw as usize] = NONE;
        j += step;
        let mut leaves = Vec::new();
        while children[Self::at(len, j)] != entry_child {
            let bv = children[Self::at(len, j)];
            if self.label[bv as usize] == 1 {
                j += step;
                continue;
            }
            let reached = if (bv as usize) < self.n {
                (self.label[bv as usize] != 0).then_some(bv)
            } else {
                self.leaves(bv, &mut leaves);
                leaves.iter().copied().find(|&x| self.label[x as usize] != 0)
            };
            if let Some(v) = reached {
                self.label[v as usize] = 0;
                let partner = self.to(self.mate[self.base[bv as usize] as usize]);
                self.label[partner as usize] = 0;
                self.assign_label(v, 2, self.label_edge[v as usize]);
            }
            j += step;
        }
        self.blossom_edges[bu] = edges;
    }

    /// Swaps matched and unmatched edges on the even path inside blossom `b`
    /// from `v` to its base, making `v` the base.
    pub(super) fn augment_blossom(&mut self, b: u32, v: u32) {
        let mut work = vec![(b, v)];
        while let Some((b, v)) = work.pop() {
            let bu = b as usize;
            let mut t = v;
            while self.parent[t as usize] != b {
                t = self.parent[t as usize];
            }
            if t as usize >= self.n {
                work.push((t, v));
            }
            let len = self.children[bu].len();
            let i = self.children[bu].iter().position(|&c| c == t).unwrap_or(0);
            let mut j = i as isize;
            let step: isize = if j & 1 == 1 {
                j -= len as isize;
                1
            } else {
                -1
            };
            while j != 0 {
                j += step;
                let t = self.children[bu][Self::at(len, j)];
                // `e` runs from w to x.
                let e = if step == 1 {
                    self.blossom_edges[bu][Self::at(len, j)]
                } else {
                    self.blossom_edges[bu][Self::at(len, j - 1)] ^ 1
                };
                let (w, x) = (self.from(e), self.to(e));
                if t as usize >= self.n {
                    work.push((t, w));
                }
                j += step;
                let t = self.children[bu][Self::at(len, j)];
                if t as usize >= self.n {
                    work.push((t, x));
                }
                self.mate[w as usize] = e;
                self.mate[x as usize] = e ^ 1;
            }
            self.children[bu].rotate_left(i);
            self.blossom_edges[bu].rotate_left(i);
            self.base[bu] = v;
        }
    }

    /// Augments along the path through S–S edge `d` between two trees.
    pub(super) fn augment_matching(&mut self, d: u32) {
        for first in [d, d ^ 1] {
            let mut e = first; // from s to j
            loop {
                let s = self.from(e);
                let bs = self.in_blossom[s as usize];
                if bs as usize >= self.n {
                    self.augment_blossom(bs, s);
                }
                self.mate[s as usize] = e;
                let up = self.label_edge[bs as usize];
                if up == NONE {
                    break;
                }
                let bt = self.in_blossom[self.from(up) as usize];
                let le = self.label_edge[bt as usize]; // from s' to j'
                let j = self.to(le);
                if bt as usize >= self.n {
                    self.augment_blossom(bt, j);
                }
                self.mate[j as usize] = le ^ 1;
                e = le;
            }
        }
    }
}
