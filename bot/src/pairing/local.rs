//! Local search for a heavy matching, for pools too large to match exactly
//! in the time a daily round has (see [`super::Options::exact_up_to`]).
//!
//! Invariant: every change is applied only if, measured on the matching as
//! it stands, it gains weight ([`apply_if_gain`]); so the weight never
//! drops and the search ends.

use super::Edge;

/// A graph as sorted adjacency lists (compressed rows).
struct Adjacency {
    start: Vec<usize>,
    to: Vec<u32>,
    weight: Vec<i64>,
    /// Per vertex, positions of its neighbours, heaviest first.
    heavy: Vec<u32>,
}

impl Adjacency {
    fn new(n: usize, edges: &[Edge]) -> Self {
        let mut degree = vec![0usize; n + 1];
        for e in edges {
            degree[e.a as usize] += 1;
            degree[e.b as usize] += 1;
        }
        let mut start = vec![0usize; n + 1];
        for v in 0..n {
            start[v + 1] = start[v] + degree[v];
        }
        let mut fill = start.clone();
        let mut to = vec![0u32; start[n]];
        let mut weight = vec![0i64; start[n]];
        for e in edges {
            for (x, y) in [(e.a, e.b), (e.b, e.a)] {
                let at = fill[x as usize];
                to[at] = y;
                weight[at] = e.weight;
                fill[x as usize] += 1;
            }
        }
        for v in 0..n {
            let range = start[v]..start[v + 1];
            let mut pairs: Vec<(u32, i64)> = range.clone().map(|i| (to[i], weight[i])).collect();
            pairs.sort_unstable();
            for (i, (t, w)) in range.zip(pairs) {
                to[i] = t;
                weight[i] = w;
            }
        }
        let mut heavy: Vec<u32> = (0..start[n] as u32).collect();
        for v in 0..n {
            heavy[start[v]..start[v + 1]].sort_unstable_by_key(|&i| std::cmp::Reverse(weight[i as usize]));
        }
        Adjacency {
            start,
            to,
            weight,
            heavy,
        }
    }

    /// The `limit` heaviest neighbours of `v`.
    fn heaviest(&self, v: u32, limit: usize) -> impl Iterator<Item = (u32, i64)> + '_ {
        let range = self.start[v as usize]..self.start[v as usize + 1];
        self.heavy[range]
            .iter()
            .take(limit)
            .map(|&i| (self.to[i as usize], self.weight[i as usize]))
    }

    fn neighbours(&self, v: u32) -> impl Iterator<Item = (u32, i64)> + '_ {
        let range = self.start[v as usize]..self.start[v as usize + 1];
        self.to[range.clone()]
            .iter()
            .copied()
            .zip(self.weight[range].iter().copied())
    }

    fn weight(&self, a: u32, b: u32) -> i64 {
        let range = self.start[a as usize]..self.start[a as usize + 1];
        match self.to[range.clone()].binary_search(&b) {
            Ok(i) => self.weight[range.start + i],
            Err(_) => 0,
        }
    }
}

/// The best "arm" at `x` (matched to `y`): a neighbour `a` to pair `x` with,
/// dropping `a`'s current pair. Returns the two best, by gain before the loss
/// of `(x, y)`, so that two arms can be chosen disjoint.
fn best_arms(g: &Adjacency, m: &Matching, x: u32, y: u32) -> [Option<(i64, u32)>; 2] {
    let mut best: [Option<(i64, u32)>; 2] = [None, None];
    for (a, w) in g.neighbours(x) {
        if a == y {
            continue;
        }
        let gain = w - m.held[a as usize];
        if best[0].is_none_or(|(b, _)| gain > b) {
            best[1] = best[0];
            best[0] = Some((gain, a));
        } else if best[1].is_none_or(|(b, _)| gain > b) {
            best[1] = Some((gain, a));
        }
    }
    best
}

/// A matching being improved: each vertex's partner, and the weight of that
/// pair (so that "what would breaking this pair cost" is a lookup).
struct Matching {
    mate: Vec<Option<u32>>,
    held: Vec<i64>,
}

impl Matching {
    fn new(g: &Adjacency, mate: Vec<Option<u32>>) -> Self {
        let held = (0..mate.len() as u32)
            .map(|v| mate[v as usize].map_or(0, |m| g.weight(v, m)))
            .collect();
        Matching { mate, held }
    }

    fn unmatch(&mut self, v: u32) {
        if let Some(m) = self.mate[v as usize].take() {
            self.mate[m as usize] = None;
            self.held[v as usize] = 0;
            self.held[m as usize] = 0;
        }
    }

    fn join(&mut self, g: &Adjacency, a: u32, b: u32) {
        self.unmatch(a);
        self.unmatch(b);
        let w = g.weight(a, b);
        self.mate[a as usize] = Some(b);
        self.mate[b as usize] = Some(a);
        self.held[a as usize] = w;
        self.held[b as usize] = w;
    }
}

/// Makes the new `pairs` (breaking whatever pairs their members are in) if,
/// measured on the matching as it is, that gains weight. The search's own
/// estimate only proposes; this decides.
fn apply_if_gain(g: &Adjacency, m: &mut Matching, pairs: &[(u32, u32)]) -> bool {
    let mut broken: Vec<(u32, u32)> = pairs
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .filter_map(|v| m.mate[v as usize].map(|p| (v.min(p), v.max(p))))
        .collect();
    broken.sort_unstable();
    broken.dedup();
    let lost: i64 = broken.iter().map(|&(a, _)| m.held[a as usize]).sum();
    let made: i64 = pairs.iter().map(|&(a, b)| g.weight(a, b)).sum();
    if made <= lost {
        return false;
    }
    for &(a, b) in pairs {
        m.join(g, a, b);
    }
    true
}

/// The Global Paths Algorithm (Maue and Sanders): take edges heaviest first
/// into a set of paths and even cycles (no vertex on more than two edges, no
/// odd cycle), then match each path and cycle optimally by dynamic
/// programming. A far better start for local search than plain greedy.
fn global_paths(n: usize, edges: &[Edge]) -> Vec<Option<u32>> {
    let mut order: Vec<&Edge> = edges.iter().collect();
    order.sort_unstable_by_key(|e| (std::cmp::Reverse(e.weight), e.a, e.b));
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut length = vec![0u32; n]; // edges in the component (at its root)
    let mut links: Vec<[Option<(u32, i64)>; 2]> = vec![[None, None]; n];
    fn find(parent: &mut [u32], mut v: u32) -> u32 {
        while parent[v as usize] != v {
            parent[v as usize] = parent[parent[v as usize] as usize];
            v = parent[v as usize];
        }
        v
    }
    let degree = |links: &[[Option<(u32, i64)>; 2]], v: u32| links[v as usize].iter().flatten().count();
    for e in order {
        if degree(&links, e.a) == 2 || degree(&links, e.b) == 2 {
            continue;
        }
        let (ra, rb) = (find(&mut parent, e.a), find(&mut parent, e.b));
        if ra == rb {
            // Closing a path into a cycle: only an even one can be matched fully.
            if (length[ra as usize] + 1) % 2 == 1 {
                continue;
            }
            length[ra as usize] += 1;
        } else {
            parent[rb as usize] = ra;
            length[ra as usize] += length[rb as usize] + 1;
        }
        for (x, y) in [(e.a, e.b), (e.b, e.a)] {
            let slot = links[x as usize].iter().position(Option::is_none).unwrap_or(1);
            links[x as usize][slot] = Some((y, e.weight));
        }
    }

    let mut mate: Vec<Option<u32>> = vec![None; n];
    let mut seen = vec![false; n];
    // Walks a path or cycle from `from`, returning its vertices and the weights
    // of the edges between consecutive ones.
    let walk = |from: u32, seen: &mut [bool]| {
        let (mut vertices, mut weights) = (vec![from], Vec::new());
        seen[from as usize] = true;
        let mut at = from;
        loop {
            let next = links[at as usize]
                .iter()
                .flatten()
                .find(|(v, _)| !seen[*v as usize])
                .copied();
            match next {
                Some((v, w)) => {
                    seen[v as usize] = true;
                    vertices.push(v);
                    weights.push(w);
                    at = v;
                }
                None => break,
            }
        }
        (vertices, weights)
    };
    // Best matching of a path with edge weights `w` (edge i joins vertex i
    // and i+1): which edges to take.
    fn best_on_path(w: &[i64]) -> (i64, Vec<bool>) {
        let k = w.len();
        let mut dp = vec![0i64; k + 1]; // dp[i]: best using edges before i
        for i in 0..k {
            let take = w[i] + if i >= 1 { dp[i - 1] } else { 0 };
            dp[i + 1] = dp[i].max(take);
        }
        let mut chosen = vec![false; k];
        let mut i = k;
        while i > 0 {
            if dp[i] == dp[i - 1] {
                i -= 1;
            } else {
                chosen[i - 1] = true;
                i = i.saturating_sub(2);
            }
        }
        (dp[k], chosen)
    }
    let apply = |vertices: &[u32], chosen: &[bool], mate: &mut [Option<u32>]| {
        for (i, &take) in chosen.iter().enumerate() {
            if take {
                let (a, b) = (vertices[i], vertices[(i + 1) % vertices.len()]);
                mate[a as usize] = Some(b);
                mate[b as usize] = Some(a);
            }
        }
    };
    // Paths first (from an end), then what is left: cycles.
    for v in 0..n as u32 {
        if !seen[v as usize] && degree(&links, v) < 2 {
            let (vertices, weights) = walk(v, &mut seen);
            let (_, chosen) = best_on_path(&weights);
            apply(&vertices, &chosen, &mut mate);
        }
    }
    for v in 0..n as u32 {
        if !seen[v as usize] {
            let (vertices, mut weights) = walk(v, &mut seen);
            // The closing edge, back to the start.
            let closing = links[*vertices.last().unwrap_or(&v) as usize]
                .iter()
                .flatten()
                .find(|(u, _)| *u == v)
                .map_or(0, |(_, w)| *w);
            weights.push(closing);
            // Leave out the closing edge, or the first one: the better of the two.
            let k = weights.len();
            let (without_last, a) = best_on_path(&weights[..k - 1]);
            let (without_first, b) = best_on_path(&weights[1..]);
            let mut chosen = vec![false; k];
            if without_last >= without_first {
                chosen[..k - 1].copy_from_slice(&a);
            } else {
                chosen[1..].copy_from_slice(&b);
            }
            apply(&vertices, &chosen, &mut mate);
        }
    }
    mate
}

/// A near-optimal matching by local search: the Global Paths Algorithm,
/// then short augmentations (after Drake and Hougardy): around each pair
/// `(x, y)`, re-pair `x` and/or `y` with neighbours whose own pairs are
/// dropped, when that gains weight; a free vertex takes the best neighbour it
/// can improve on; then one round of alternating paths of up to four steps.
/// `mate[v]` is `v`'s partner. About 0.97 to 0.99 of the optimum, in time
/// close to linear: what pools too large for [`super::exact`] get.
pub fn matching(n: usize, edges: &[Edge], passes: usize) -> Vec<Option<u32>> {
    let g = Adjacency::new(n, edges);
    let mut m = Matching::new(&g, global_paths(n, edges));
    short_augmentations(&g, &mut m, passes);
    if alternating_paths(&g, &mut m, PATHS) {
        short_augmentations(&g, &mut m, passes);
    }
    m.mate
}

/// Neighbours followed at each step of an alternating-path search, the most
/// promising first: wide at the start, narrow further out.
const PATHS: &[usize] = &[4, 2, 2, 1];
/// Neighbours looked at per step: the heaviest few (a static order).
const PATH_SCAN: usize = 8;

/// One pass of alternating-path search: from each vertex not already with its
/// heaviest neighbour, drop its pair (if any) and follow "pair with a
/// neighbour, whose partner then looks for a new one" for as many steps as
/// `branch` has;
/// apply the best path that gains. Says whether anything changed.
fn alternating_paths(g: &Adjacency, m: &mut Matching, branch: &[usize]) -> bool {
    struct Search<'a> {
        g: &'a Adjacency,
        m: &'a Matching,
        branch: &'a [usize],
        path: Vec<u32>,
        best: (i64, Vec<u32>),
    }
    impl Search<'_> {
        // `path` holds the new pairs in order: u, a, b, c, ...
        fn explore(&mut self, u: u32, gain: i64, level: usize) {
            let width = self.branch[level].clamp(1, 8);
            let mut top = [(i64::MIN, 0u32); 8];
            for (a, w) in self.g.heaviest(u, PATH_SCAN) {
                if self.m.mate[u as usize] == Some(a) || self.path.contains(&a) {
                    continue;
                }
                let step = w - self.m.held[a as usize];
                if step > top[width - 1].0 {
                    let mut i = width - 1;
                    while i > 0 && top[i - 1].0 < step {
                        top[i] = top[i - 1];
                        i -= 1;
                    }
                    top[i] = (step, a);
                }
            }
            for &(step, a) in top.iter().take(width).filter(|(s, _)| *s > i64::MIN) {
                let total = gain + step;
                self.path.push(u);
                self.path.push(a);
                if total > self.best.0 {
                    self.best = (total, self.path.clone());
                }
                if level + 1 < self.branch.len() {
                    if let Some(b) = self.m.mate[a as usize].filter(|b| !self.path.contains(b)) {
                        self.explore(b, total, level + 1);
                    }
                }
                self.path.truncate(self.path.len() - 2);
            }
        }
    }
    let mut changed = false;
    for v in 0..m.mate.len() as u32 {
        let dropped = m.held[v as usize];
        let heaviest = g.heaviest(v, 1).map(|(_, w)| w).next().unwrap_or(0);
        if m.mate[v as usize].is_some() && dropped >= heaviest {
            continue;
        }
        let mut search = Search {
            g,
            m,
            branch,
            path: Vec::new(),
            best: (0, Vec::new()),
        };
        search.explore(v, -dropped, 0);
        let (gain, path) = search.best;
        if gain > 0 {
            let pairs: Vec<(u32, u32)> = path.chunks(2).map(|p| (p[0], p[1])).collect();
            changed |= apply_if_gain(g, m, &pairs);
        }
    }
    changed
}

/// A short augmentation: its estimated gain and up to two new pairs.
type Plan = (i64, Option<(u32, u32)>, Option<(u32, u32)>);

/// Local search with short augmentations until none gains (or `passes` run).
fn short_augmentations(g: &Adjacency, m: &mut Matching, passes: usize) {
    let n = m.mate.len();
    for _ in 0..passes {
        let mut improved = false;
        for x in 0..n as u32 {
            match m.mate[x as usize] {
                None => {
                    // A free vertex: pair with the neighbour it improves most on.
                    let best = g.neighbours(x).map(|(a, w)| (w - m.held[a as usize], a)).max();
                    if let Some((_, a)) = best.filter(|(gain, _)| *gain > 0) {
                        improved |= apply_if_gain(g, m, &[(x, a)]);
                    }
                }
                Some(y) if x < y => {
                    let here = m.held[x as usize];
                    let at_x = best_arms(g, m, x, y);
                    let at_y = best_arms(g, m, y, x);
                    // One arm: x (or y) re-paired, the other left free.
                    let mut plan: Plan = (0, None, None);
                    if let Some((gain, a)) = at_x[0] {
                        if gain - here > plan.0 {
                            plan = (gain - here, Some((x, a)), None);
                        }
                    }
                    if let Some((gain, b)) = at_y[0] {
                        if gain - here > plan.0 {
                            plan = (gain - here, Some((y, b)), None);
                        }
                    }
                    // Two arms, on different pairs.
                    for (ga, a) in at_x.iter().flatten() {
                        for (gb, b) in at_y.iter().flatten() {
                            let same_pair = a == b || m.mate[*a as usize] == Some(*b);
                            if same_pair {
                                // A 4-cycle: (x,a),(y,b) replace (x,y),(a,b).
                                if a != b {
                                    let gain = g.weight(x, *a) + g.weight(y, *b) - here - m.held[*a as usize];
                                    if gain > plan.0 {
                                        plan = (gain, Some((x, *a)), Some((y, *b)));
                                    }
                                }
                                continue;
                            }
                            let gain = ga + gb - here;
                            if gain > plan.0 {
                                plan = (gain, Some((x, *a)), Some((y, *b)));
                            }
                        }
                    }
                    if plan.0 > 0 {
                        let pairs: Vec<(u32, u32)> = [plan.1, plan.2].into_iter().flatten().collect();
                        improved |= apply_if_gain(g, m, &pairs);
                    }
                }
                Some(_) => {}
            }
        }
        if !improved {
            break;
        }
    }
}
