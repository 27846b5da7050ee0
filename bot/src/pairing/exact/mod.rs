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

    /// Whether `b` (a vertex or a blossom id) stands in no blossom now (and,
    /// a blossom, is in use).
    fn is_top(&self, b: usize) -> bool {
        self.parent[b] == NONE && (b < self.n || self.base[b] != NONE)
    }

    /// A top-level T-blossom whose dual is zero: nothing holds it together,
    /// it expands.
    fn is_loose(&self, b: usize) -> bool {
        b >= self.n && self.is_top(b) && self.label[b] == 2 && self.dual[b] == W::ZERO
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
                    if self.is_loose(b as usize) {
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
                let current = self.is_top(bu);
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
}

mod blossoms;
mod duals;

#[cfg(test)]
mod tests;
