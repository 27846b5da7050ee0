//! The exact maximum-weight matching of a graph: Edmonds' primal-dual
//! blossom algorithm as Van Rantwijk wrote it (`mwmatching.py`, the one
//! networkx runs), on arrays, with one change that makes it over a thousand
//! times faster on the pairing's graphs: the forest of alternating trees is
//! kept across augmentations instead of being rebuilt in a new stage.
//!
//! Invariants, as in the original (weights doubled so that every dual is an
//! integer; "slack" of an edge is its ends' duals less twice its weight):
//! - no edge between different top-level blossoms has negative slack;
//! - a matched edge, and every edge of a blossom's cycle, has none;
//! - every free vertex has the same dual, the least of all. The search stops
//!   when it reaches zero: the duals then prove the matching optimal.
//!
//! Between dual steps the trees grow along tight edges only; each is rooted
//! at a free vertex. An augmenting path joins two trees: both are dissolved
//! (labels cleared, at every level of their blossoms, since a nested
//! blossom's old label would speak when it expands) and what other trees
//! knew through their vertices is found again from those vertices' edges
//! (`Solver::dissolve`). Every other tree is still what a fresh stage would
//! have grown, so a dual step sees the forest the original would.
//!
//! What a dual step reads, the least slack towards each vertex without label
//! and out of each S-blossom, is kept as a lower bound (`Solver::dual_step`):
//! an edge into a dissolved tree, or a new blossom's bound taken from its
//! children, may understate it, never overstate it; the step makes exact
//! only the bounds it would take. Blossoms whose dual is zero are kept (they
//! still hold a matched odd cycle) and expand as soon as they become T.
//! Weights that fit are solved in 32 bits (half the memory traffic).

use super::Edge;

const NONE: u32 = u32::MAX;

/// The heaviest matching of `edges` on vertices `0..n` (edges of no weight
/// and loops are left out): `mate[v]` is `v`'s partner. Weights up to 2^60
/// are exact (the pairing's are below 10^4).
pub fn maximum_weight_matching(n: usize, edges: &[Edge]) -> Vec<Option<u32>> {
    matching_within(n, edges, usize::MAX).unwrap_or_else(|| vec![None; n])
}

/// The same, or `None` once it has looked at more than `work` edges: the
/// algorithm is cubic at worst, and a caller with a deadline (the daily
/// round) would rather have a near-optimal matching in time.
pub fn matching_within(n: usize, edges: &[Edge], work: usize) -> Option<Vec<Option<u32>>> {
    let kept: Vec<&Edge> = edges
        .iter()
        .filter(|e| e.a != e.b && e.weight > 0 && (e.a as usize) < n && (e.b as usize) < n)
        .collect();
    // Duals and slacks stay within four times the heaviest weight: 32 bits
    // hold the pairing's weights, and are faster (half the cache).
    if kept.iter().all(|e| e.weight <= i64::from(i32::MAX / 4)) {
        Solver::<i32>::new(n, &kept, work).matching()
    } else {
        Solver::<i64>::new(n, &kept, work).matching()
    }
}

/// What the solver needs of a number: integers, 32 or 64 bits.
trait Weight:
    Copy
    + Ord
    + std::fmt::Debug
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::AddAssign
    + std::ops::SubAssign
    + std::ops::Div<Output = Self>
{
    const ZERO: Self;
    const TWO: Self;
    const MAX: Self;
    /// A weight already known to fit.
    fn from_i64(w: i64) -> Self;
}

impl Weight for i32 {
    const ZERO: i32 = 0;
    const TWO: i32 = 2;
    const MAX: i32 = i32::MAX;
    fn from_i64(w: i64) -> i32 {
        i32::try_from(w).unwrap_or(i32::MAX)
    }
}

impl Weight for i64 {
    const ZERO: i64 = 0;
    const TWO: i64 = 2;
    const MAX: i64 = i64::MAX;
    fn from_i64(w: i64) -> i64 {
        w
    }
}

/// An edge as its first end sees it, kept inline for the scan.
#[derive(Debug, Clone, Copy)]
struct Slot<W> {
    /// The directed edge id.
    d: u32,
    /// Its other end.
    to: u32,
    /// Twice its weight.
    twice: W,
}

/// Per root, the blossoms ever labelled into its tree (some since nested
/// or relabelled: checked when the tree dissolves), as lists threaded
/// through one log (a tree's list is read once, when it dissolves).
struct Members {
    /// Per root, its last entry in the log.
    head: Vec<u32>,
    blossom: Vec<u32>,
    /// The entry before, of the same root.
    previous: Vec<u32>,
}

impl Members {
    fn add(&mut self, root: u32, b: u32) {
        self.blossom.push(b);
        self.previous.push(self.head[root as usize]);
        self.head[root as usize] = (self.blossom.len() - 1) as u32;
    }
}

/// Vertices are `0..n`, blossoms `n..2n`; "edge" below is a directed edge id
/// `d`: undirected edge `d >> 1`, from its end `d & 1` to the other.
struct Solver<W> {
    n: usize,
    ends: Vec<[u32; 2]>,
    /// Twice each edge's weight (duals stay integers).
    twice: Vec<W>,
    /// Each vertex's edges (directed out of it), `out[start[v]..start[v+1]]`.
    start: Vec<usize>,
    out: Vec<Slot<W>>,
    /// The edge from a vertex to its partner.
    mate: Vec<u32>,
    /// 0 none, 1 S (outer), 2 T (inner), 5 S while a blossom is scanned;
    /// for vertices and top-level blossoms alike.
    label: Vec<u8>,
    /// The edge through which a vertex or blossom got its label.
    label_edge: Vec<u32>,
    in_blossom: Vec<u32>,
    parent: Vec<u32>,
    /// A blossom's base vertex; `NONE` for an unused blossom id.
    base: Vec<u32>,
    children: Vec<Vec<u32>>,
    /// `blossom_edges[b][i]` joins `children[b][i]` and `children[b][i + 1]`
    /// (around the cycle).
    blossom_edges: Vec<Vec<u32>>,
    /// Least-slack edge: from an S-blossom to another S-blossom, or from an
    /// S-vertex to a vertex without label (see `bound_of`).
    best_edge: Vec<u32>,
    /// A lower bound on that least slack: exact when recorded, it falls
    /// with each dual step as the slacks it bounds do (see `dual_step`).
    best_slack: Vec<W>,
    /// Duals: vertices first, then blossoms.
    dual: Vec<W>,
    queue: Vec<u32>,
    /// The root (free vertex) of the tree a labelled blossom is in.
    tree: Vec<u32>,
    /// Per root, the blossoms ever labelled into its tree (some since
    /// nested or relabelled: checked when the tree dissolves).
    members: Members,
    /// The vertices of the trees being dissolved (kept to spare allocations).
    dissolved: Vec<u32>,
    /// Edges from S-vertices into dissolved trees, to be considered again.
    pending: Vec<(u32, Slot<W>)>,
    /// The next entry of `queue` to scan.
    head: usize,
    /// T-blossoms labelled with a zero dual, to expand.
    loose: Vec<u32>,
    unused: Vec<u32>,
    /// A scratch list, kept to spare allocations.
    scratch: Vec<u32>,
    /// Edges still to look at before giving up (see `matching_within`).
    work: usize,
}

impl<W: Weight> Solver<W> {
    fn new(n: usize, edges: &[&Edge], work: usize) -> Self {
        let ends: Vec<[u32; 2]> = edges.iter().map(|e| [e.a, e.b]).collect();
        let twice: Vec<W> = edges.iter().map(|e| W::from_i64(e.weight.saturating_mul(2))).collect();
        let mut degree = vec![0usize; n + 1];
        for [a, b] in &ends {
            degree[*a as usize] += 1;
            degree[*b as usize] += 1;
        }
        let mut start = vec![0usize; n + 1];
        for v in 0..n {
            start[v + 1] = start[v] + degree[v];
        }
        let mut fill = start.clone();
        let mut out = vec![
            Slot {
                d: 0,
                to: 0,
                twice: W::ZERO
            };
            start[n]
        ];
        for (k, [a, b]) in ends.iter().enumerate() {
            let twice = twice[k];
            out[fill[*a as usize]] = Slot {
                d: 2 * k as u32,
                to: *b,
                twice,
            };
            fill[*a as usize] += 1;
            out[fill[*b as usize]] = Slot {
                d: 2 * k as u32 + 1,
                to: *a,
                twice,
            };
            fill[*b as usize] += 1;
        }
        let max_weight = edges.iter().map(|e| W::from_i64(e.weight)).max().unwrap_or(W::ZERO);
        Solver {
            n,
            ends,
            twice,
            start,
            out,
            mate: vec![NONE; n],
            label: vec![0; 2 * n],
            label_edge: vec![NONE; 2 * n],
            in_blossom: (0..n as u32).collect(),
            parent: vec![NONE; 2 * n],
            base: (0..n as u32).chain(std::iter::repeat_n(NONE, n)).collect(),
            children: vec![Vec::new(); 2 * n],
            blossom_edges: vec![Vec::new(); 2 * n],
            best_edge: vec![NONE; 2 * n],
            best_slack: vec![W::ZERO; 2 * n],
            dual: std::iter::repeat_n(max_weight, n)
                .chain(std::iter::repeat_n(W::ZERO, n))
                .collect(),
            queue: Vec::new(),
            tree: vec![NONE; 2 * n],
            members: Members {
                head: vec![NONE; n],
                blossom: Vec::new(),
                previous: Vec::new(),
            },
            dissolved: Vec::new(),
            pending: Vec::new(),
            head: 0,
            loose: Vec::new(),
            unused: (n as u32..2 * n as u32).rev().collect(),
            scratch: Vec::new(),
            work,
        }
    }

    fn from(&self, d: u32) -> u32 {
        self.ends[(d >> 1) as usize][(d & 1) as usize]
    }

    fn to(&self, d: u32) -> u32 {
        self.ends[(d >> 1) as usize][((d & 1) ^ 1) as usize]
    }

    fn slack(&self, d: u32) -> W {
        let k = (d >> 1) as usize;
        let [a, b] = self.ends[k];
        self.dual[a as usize] + self.dual[b as usize] - self.twice[k]
    }

    fn edges_of(&self, v: u32) -> std::ops::Range<usize> {
        self.start[v as usize]..self.start[v as usize + 1]
    }

    /// The vertices inside blossom (or vertex) `b`.
    fn leaves(&self, b: u32, into: &mut Vec<u32>) {
        into.clear();
        self.push_leaves(b, into);
    }

    /// Appends the vertices inside `b` to `out` (expanding blossoms in
    /// place: no stack to allocate).
    fn push_leaves(&self, b: u32, out: &mut Vec<u32>) {
        let mut i = out.len();
        out.push(b);
        while i < out.len() {
            let t = out[i];
            if (t as usize) < self.n {
                i += 1;
            } else {
                out.swap_remove(i);
                out.extend_from_slice(&self.children[t as usize]);
            }
        }
    }

    /// Labels `w`'s blossom `t` (1: S, 2: T) through edge `d` (`NONE` for a
    /// root); a T-blossom's partner becomes S in turn.
    fn assign_label(&mut self, w: u32, t: u8, d: u32) {
        let (mut w, mut t, mut d) = (w, t, d);
        loop {
            let b = self.in_blossom[w as usize];
            for x in [w, b] {
                self.label[x as usize] = t;
                self.label_edge[x as usize] = d;
                self.best_edge[x as usize] = NONE;
            }
            let root = if d == NONE {
                w
            } else {
                self.tree[self.in_blossom[self.from(d) as usize] as usize]
            };
            self.tree[b as usize] = root;
            self.members.add(root, b);
            if t == 2 && b as usize >= self.n && self.dual[b as usize] == W::ZERO {
                // Nothing holds it together: it expands before the next
                // dual step (which would otherwise be a step of zero).
                self.loose.push(b);
            }
            if t == 1 {
                let mut queue = std::mem::take(&mut self.queue);
                self.push_leaves(b, &mut queue);
                self.queue = queue;
                return;
            }
            let to_mate = self.mate[self.base[b as usize] as usize];
            (w, t, d) = (self.to(to_mate), 1, to_mate);
        }
    }

    /// Follows the trees up from the ends of an S–S edge: the base of the
    /// blossom it closes, or `NONE` when it joins two trees (augmenting).
    fn scan_blossom(&mut self, v: u32, w: u32) -> u32 {
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
    fn add_blossom(&mut self, base: u32, d: u32) {
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
    fn at(len: usize, j: isize) -> usize {
        j.rem_euclid(len as isize) as usize
    }

    /// Dissolves blossom `b` into its children: a T-blossom whose dual
    /// reached zero, relabelling the path through it.
    fn expand_blossom(&mut self, b: u32) {
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
    fn relabel_expanded(&mut self, b: u32, children: &[u32]) {
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
    fn augment_blossom(&mut self, b: u32, v: u32) {
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
    fn augment_matching(&mut self, d: u32) {
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

    /// First in, first out: trees grow evenly, so they meet (and augment)
    /// while small, and a dissolved tree has few vertices to hand back.
    fn next_queued(&mut self) -> Option<u32> {
        if self.head == self.queue.len() {
            self.queue.clear();
            self.head = 0;
            return None;
        }
        self.head += 1;
        Some(self.queue[self.head - 1])
    }

    /// The heaviest matching: `mate[v]` is `v`'s partner.
    fn matching(mut self) -> Option<Vec<Option<u32>>> {
        self.solve().then(|| {
            (0..self.n)
                .map(|v| (self.mate[v] != NONE).then(|| self.to(self.mate[v])))
                .collect()
        })
    }

    /// Runs to the optimum (`true`), or until the work allowed is spent.
    fn solve(&mut self) -> bool {
        for v in 0..self.n as u32 {
            if self.mate[v as usize] == NONE {
                self.assign_label(v, 1, NONE);
            }
        }
        loop {
            loop {
                if self.work == 0 {
                    return false;
                }
                if let Some((v, slot)) = self.pending.pop() {
                    self.spend(1);
                    if self.label[self.in_blossom[v as usize] as usize] == 1 {
                        self.consider(v, slot);
                    }
                } else if let Some(v) = self.next_queued() {
                    if self.label[self.in_blossom[v as usize] as usize] == 1 {
                        self.scan(v);
                    }
                } else if let Some(b) = self.loose.pop() {
                    let bu = b as usize;
                    if self.base[bu] != NONE
                        && self.parent[bu] == NONE
                        && self.label[bu] == 2
                        && self.dual[bu] == W::ZERO
                    {
                        self.expand_blossom(b);
                    }
                } else {
                    break;
                }
            }
            self.spend(2 * self.n);
            if !self.dual_step() {
                return true;
            }
        }
    }

    fn spend(&mut self, edges: usize) {
        self.work = self.work.saturating_sub(edges);
    }

    /// Follows S-vertex `v`'s edges (until one augments: then `v` has no
    /// label any more).
    fn scan(&mut self, v: u32) {
        self.spend(self.edges_of(v).len());
        for at in self.edges_of(v) {
            if self.consider(v, self.out[at]) {
                return;
            }
        }
    }

    /// One edge from S-vertex `v`: if tight it grows `v`'s tree, closes a
    /// blossom or augments (`true`); if not, it may be the next dual step's
    /// limit.
    #[inline(always)]
    fn consider(&mut self, v: u32, slot: Slot<W>) -> bool {
        let Slot { d, to: w, twice } = slot;
        let bv = self.in_blossom[v as usize];
        let bw = self.in_blossom[w as usize];
        if bv == bw {
            return false;
        }
        let label_w = self.label[bw as usize];
        // Between different top-level blossoms the slack is never negative:
        // zero is tight.
        let slack = self.dual[v as usize] + self.dual[w as usize] - twice;
        if slack <= W::ZERO {
            return self.tight(d, label_w);
        }
        if label_w == 1 {
            self.offer_best(bv, d, slack);
        } else if self.label[w as usize] == 0 {
            self.offer_best(w, d, slack);
        }
        false
    }

    /// Keeps edge `d` (with `slack`) as `x`'s least-slack edge if it is.
    #[inline(always)]
    fn offer_best(&mut self, x: u32, d: u32, slack: W) {
        let x = x as usize;
        if self.best_edge[x] == NONE || slack < self.best_slack[x] {
            self.best_edge[x] = d;
            self.best_slack[x] = slack;
        }
    }

    /// A tight edge `d` from an S-vertex to a vertex whose top blossom is
    /// labelled `label_w` (kept out of line: the scan's common case is an
    /// edge that is not tight).
    #[inline(never)]
    fn tight(&mut self, d: u32, label_w: u8) -> bool {
        let (v, w) = (self.from(d), self.to(d));
        if label_w == 0 {
            self.assign_label(w, 2, d);
        } else if label_w == 1 {
            let base = self.scan_blossom(v, w);
            if base != NONE {
                self.add_blossom(base, d);
            } else {
                let bv = self.in_blossom[v as usize];
                let bw = self.in_blossom[w as usize];
                let trees = [self.tree[bv as usize], self.tree[bw as usize]];
                self.augment_matching(d);
                self.dissolve(trees);
                return true;
            }
        } else if self.label[w as usize] == 0 {
            self.label[w as usize] = 2;
            self.label_edge[w as usize] = d;
        }
        false
    }

    /// After an augmentation: the two trees it joined lose their labels
    /// (their roots are matched now), and what the rest of the forest knew
    /// through them is found again from their vertices' edges.
    fn dissolve(&mut self, trees: [u32; 2]) {
        let mut vertices = std::mem::take(&mut self.dissolved);
        vertices.clear();
        for root in trees {
            let mut at = std::mem::replace(&mut self.members.head[root as usize], NONE);
            while at != NONE {
                let b = self.members.blossom[at as usize];
                at = self.members.previous[at as usize];
                let bu = b as usize;
                let current = self.base[bu] != NONE && self.parent[bu] == NONE;
                if !current || self.label[bu] == 0 || self.tree[bu] != root {
                    continue;
                }
                // Every level, as a fresh stage would find it: a nested
                // blossom's old label would speak when this one expands.
                // (Blossoms open in place: what follows `i` is still to do.)
                let mut i = vertices.len();
                vertices.push(b);
                while i < vertices.len() {
                    let t = vertices[i] as usize;
                    self.label[t] = 0;
                    self.label_edge[t] = NONE;
                    self.best_edge[t] = NONE;
                    if t < self.n {
                        i += 1;
                    } else {
                        vertices.swap_remove(i);
                        vertices.extend_from_slice(&self.children[t]);
                    }
                }
            }
        }
        let mut again = std::mem::take(&mut self.scratch);
        again.clear();
        for &x in &vertices {
            let range = self.edges_of(x);
            self.spend(range.len());
            let Solver {
                out,
                in_blossom,
                label,
                label_edge,
                dual,
                pending,
                ..
            } = &mut *self;
            let dual_x = dual[x as usize];
            // Its entry was cleared above: the least slack from S starts anew.
            let mut best = (NONE, W::MAX);
            for &Slot { d, to: y, twice } in &out[range] {
                match label[in_blossom[y as usize] as usize] {
                    // An S-vertex elsewhere: its edge to x, now without a
                    // label, may be tight, or x's least-slack one.
                    1 => {
                        let slack = dual_x + dual[y as usize] - twice;
                        if slack <= W::ZERO {
                            pending.push((y, Slot { d: d ^ 1, to: x, twice }));
                        } else if slack < best.1 {
                            best = (d ^ 1, slack);
                        }
                    }
                    // Reached inside a T-blossom through x: find another way.
                    2 if label_edge[y as usize] == d => again.push(y),
                    _ => {}
                }
            }
            (self.best_edge[x as usize], self.best_slack[x as usize]) = best;
        }
        for &y in &again {
            self.reach_again(y);
        }
        self.scratch = again;
        self.dissolved = vertices;
    }

    /// A vertex inside a T-blossom keeps the tight edge from an S-vertex
    /// that reaches it (used when the blossom expands), or none.
    fn reach_again(&mut self, y: u32) {
        self.label[y as usize] = 0;
        self.label_edge[y as usize] = NONE;
        let by = self.in_blossom[y as usize];
        for at in self.edges_of(y) {
            let Slot { d, to: z, twice } = self.out[at];
            let bz = self.in_blossom[z as usize];
            if bz != by && self.label[bz as usize] == 1 && self.dual[y as usize] + self.dual[z as usize] == twice {
                self.label[y as usize] = 2;
                self.label_edge[y as usize] = d ^ 1;
                return;
            }
        }
    }

    /// The least-slack edge from `v` (or, for a blossom, from its vertices)
    /// to an S-blossom other than its own: recomputed when the one known
    /// led into a tree that has since dissolved.
    fn least_slack_to_s(&mut self, b: u32) -> (u32, W) {
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
    fn bound_of(&self, x: usize) -> Option<bool> {
        if self.best_edge[x] == NONE {
            return None;
        }
        let top_level = self.parent[x] == NONE && (x < self.n || self.base[x] != NONE);
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
    fn bound_is_exact(&self, x: u32, to_blossom: bool) -> bool {
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
    fn make_exact(&mut self, x: u32, to_blossom: bool) {
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
    fn dual_step(&mut self) -> bool {
        use std::cmp::Reverse;
        let n = self.n;
        // The step ends the search if free vertices reach zero first;
        // otherwise an edge from S to a vertex without label, or between
        // two S-blossoms, becomes tight, or a T-blossom's dual reaches zero.
        let free = self.dual[..n].iter().copied().min().unwrap_or(W::ZERO);
        let mut other = W::MAX;
        for b in n..2 * n {
            if self.base[b] != NONE && self.parent[b] == NONE && self.label[b] == 2 && self.dual[b] < other {
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
            if self.base[b] != NONE && self.parent[b] == NONE {
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
            if self.base[b] != NONE && self.parent[b] == NONE && self.label[b] == 2 && self.dual[b] == W::ZERO {
                self.expand_blossom(b as u32);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    /// The best matching weight by trying everything (small graphs only).
    fn brute_force(n: usize, edges: &[Edge]) -> i64 {
        let mut w = vec![vec![0i64; n]; n];
        for e in edges {
            let (a, b) = (e.a as usize, e.b as usize);
            if a != b {
                w[a][b] = w[a][b].max(e.weight);
                w[b][a] = w[a][b];
            }
        }
        let mut best = vec![0i64; 1 << n];
        for set in 1usize..1 << n {
            let v = set.trailing_zeros() as usize;
            let rest = set & !(1 << v);
            let mut b = best[rest];
            for u in 0..n {
                if rest & (1 << u) != 0 && w[v][u] > 0 {
                    b = b.max(w[v][u] + best[rest & !(1 << u)]);
                }
            }
            best[set] = b;
        }
        best[(1 << n) - 1]
    }

    fn weight_of(edges: &[Edge], mate: &[Option<u32>]) -> i64 {
        let mut total = 0;
        for (v, m) in mate.iter().enumerate() {
            if let Some(m) = *m {
                assert_eq!(mate[m as usize], Some(v as u32), "partners agree");
                if (v as u32) < m {
                    total += edges
                        .iter()
                        .filter(|e| (e.a, e.b) == (v as u32, m) || (e.b, e.a) == (v as u32, m))
                        .map(|e| e.weight)
                        .max()
                        .expect("a partner is a neighbour");
                }
            }
        }
        total
    }

    #[test]
    fn a_search_that_runs_out_of_work_says_so_instead_of_answering() {
        let mut rng = StdRng::seed_from_u64(7);
        let n = 60;
        let edges: Vec<Edge> = (0..400)
            .map(|_| Edge {
                a: rng.gen_range(0..n),
                b: rng.gen_range(0..n),
                weight: 10 * rng.gen_range(1..=3),
            })
            .collect();
        assert_eq!(matching_within(n as usize, &edges, 50), None);
        let full = matching_within(n as usize, &edges, usize::MAX).expect("unbounded work ends");
        assert_eq!(full, maximum_weight_matching(n as usize, &edges));
        assert!(full.iter().any(Option::is_some));
    }

    #[test]
    fn weights_past_32_bits_are_matched_as_exactly() {
        let mut rng = StdRng::seed_from_u64(64);
        for case in 0..300 {
            let n = rng.gen_range(2..=10);
            let mut edges = Vec::new();
            for a in 0..n as u32 {
                for b in a + 1..n as u32 {
                    if rng.gen_bool(0.6) {
                        edges.push(Edge {
                            a,
                            b,
                            weight: 1_000_000_000_000 * rng.gen_range(1..=4) + rng.gen_range(0..3),
                        });
                    }
                }
            }
            let mate = maximum_weight_matching(n, &edges);
            assert_eq!(
                weight_of(&edges, &mate),
                brute_force(n, &edges),
                "case {case}: {edges:?}"
            );
        }
    }

    #[test]
    fn the_matching_is_the_heaviest_on_small_random_graphs() {
        let mut rng = StdRng::seed_from_u64(25);
        for case in 0..3000 {
            let n = rng.gen_range(1..=12);
            let density = rng.gen_range(0.1..1.0);
            let levels = [1, 2, 3, 5, 100][case % 5];
            let mut edges = Vec::new();
            for a in 0..n as u32 {
                for b in a + 1..n as u32 {
                    if rng.gen_bool(density) {
                        edges.push(Edge {
                            a,
                            b,
                            weight: 10 * rng.gen_range(1..=levels),
                        });
                    }
                }
            }
            let mate = maximum_weight_matching(n, &edges);
            assert_eq!(
                weight_of(&edges, &mate),
                brute_force(n, &edges),
                "case {case}: {edges:?}"
            );
        }
    }
}
