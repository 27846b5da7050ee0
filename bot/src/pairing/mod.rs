//! "Meet someone new": who meets whom today.
//!
//! An exact maximum-weight matching over all pairs is O(n³) on n² edges: far too
//! slow for 100,000 members. Instead each member gets a few dozen *candidate*
//! partners (people who offer what they want or want what they offer, people at
//! the same space, a few at random), found through tag indexes with seeded
//! sampling. The heaviest matching of those edges is then found exactly
//! ([`exact`], a blossom algorithm: a few milliseconds for 2,000 members) in
//! pools up to [`Options::exact_up_to`]; larger pools get a local search
//! ([`local`]) that reaches 0.97 to 0.99 of it in close to linear time. Pairs
//! that met within the history window are not candidates; if members are left
//! over they are paired among themselves, and a repeat that a swap with another
//! pair can undo is undone. An odd pool gives exactly one group of three: the
//! last member joins the pair they fit best. The same input and seed always
//! give the same groups.

pub mod exact;
mod local;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// A member of today's pool, with tags and spaces as small dense integers
/// (tags sorted and distinct).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolMember {
    pub offers: Vec<u32>,
    pub wants: Vec<u32>,
    /// Where they are checked in today, if anywhere.
    pub space: Option<u32>,
}

/// Who met whom before, by index into the pool: per member, sorted lists (a
/// lookup is a binary search in a handful of entries, far cheaper than
/// hashing pairs in the hot loops).
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Paired within the history window: avoided while any other choice exists.
    recent: Vec<Vec<u32>>,
    /// Ever paired (within the look-back): no "new face" bonus.
    ever: Vec<Vec<u32>>,
}

fn insert_sorted(lists: &mut Vec<Vec<u32>>, a: u32, b: u32) {
    if lists.len() <= a as usize {
        lists.resize(a as usize + 1, Vec::new());
    }
    let list = &mut lists[a as usize];
    if let Err(at) = list.binary_search(&b) {
        list.insert(at, b);
    }
}

fn contains(lists: &[Vec<u32>], a: u32, b: u32) -> bool {
    lists.get(a as usize).is_some_and(|l| l.binary_search(&b).is_ok())
}

impl History {
    pub fn add(&mut self, a: u32, b: u32, recent: bool) {
        for (x, y) in [(a, b), (b, a)] {
            insert_sorted(&mut self.ever, x, y);
            if recent {
                insert_sorted(&mut self.recent, x, y);
            }
        }
    }

    pub fn is_recent(&self, a: u32, b: u32) -> bool {
        contains(&self.recent, a, b)
    }

    pub fn has_met(&self, a: u32, b: u32) -> bool {
        contains(&self.ever, a, b)
    }
}

/// How much each reason to meet counts.
pub mod weights {
    /// Per tag one offers that the other wants (either way).
    pub const HELPS: i64 = 40;
    /// Per tag both offer, or both want.
    pub const SHARED: i64 = 10;
    /// Checked in at the same space today.
    pub const SAME_SPACE: i64 = 20;
    /// Never paired before.
    pub const NEW_FACE: i64 = 10;
}

/// Tuning of the candidate search and of the matching.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Candidates sampled per tag (and for the space).
    pub per_tag: usize,
    /// Random candidates per member, so that everyone has some.
    pub random: usize,
    /// Candidate edges kept per member, best first.
    pub keep: usize,
    /// Passes of pair swaps (local search only).
    pub passes: usize,
    /// The largest pool matched exactly; larger ones get the local search.
    /// At 20,000 members the exact matching takes about an eighth of a
    /// second, and it grows faster than linearly (100,000: some 2 s for the
    /// matching alone, more than a whole round with the local search), so
    /// the largest communities keep the time they had.
    pub exact_up_to: usize,
}

impl Options {
    /// The settings before issue "Serendipity" (local search for every
    /// pool), kept so the benchmark can compare both on the same run.
    pub const EARLIER: Options = Options {
        per_tag: 6,
        random: 4,
        keep: 16,
        passes: 3,
        exact_up_to: 0,
    };
}

impl Default for Options {
    fn default() -> Self {
        Options {
            exact_up_to: EXACT_UP_TO,
            ..Options::EARLIER
        }
    }
}

/// The largest pool matched exactly by default.
pub const EXACT_UP_TO: usize = 20_000;

/// The heaviest matching of the candidate `edges` among `n` members (see
/// [`Options::exact_up_to`]): `mate[v]` is `v`'s partner. Used by [`pair`],
/// and by the benchmark on a graph it reads from a file.
///
/// The exact matching may look at each edge [`EXACT_WORK_PER_EDGE`] times;
/// past that (a pool built to be slow, not one seen in the benchmark, where
/// it looks at each about fifty times) the local search answers instead,
/// so a round never waits on a cubic worst case.
pub fn match_edges(n: usize, edges: &[Edge], options: Options) -> Vec<Option<u32>> {
    let work = EXACT_WORK_PER_EDGE.saturating_mul(edges.len() + n);
    (n <= options.exact_up_to)
        .then(|| exact::matching_within(n, edges, work))
        .flatten()
        .unwrap_or_else(|| local::matching(n, edges, options.passes))
}

/// See [`match_edges`].
pub const EXACT_WORK_PER_EDGE: usize = 1_000;

fn overlap(a: &[u32], b: &[u32]) -> i64 {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Why two members should meet, as a number (see [`weights`]).
pub fn weight(a: &PoolMember, b: &PoolMember, never_met: bool) -> i64 {
    let helps = overlap(&a.offers, &b.wants) + overlap(&b.offers, &a.wants);
    let shared = overlap(&a.offers, &b.offers) + overlap(&a.wants, &b.wants);
    let space = i64::from(a.space.is_some() && a.space == b.space);
    weights::HELPS * helps
        + weights::SHARED * shared
        + weights::SAME_SPACE * space
        + if never_met { weights::NEW_FACE } else { 0 }
}

/// Every member's tags in one array (fewer cache misses than a `Vec` each,
/// which matters once the pool no longer fits in the cache).
struct FlatPool {
    tags: Vec<u32>,
    /// Member i's offers are `tags[at[3i]..at[3i+1]]`, wants up to `at[3i+2]`.
    at: Vec<u32>,
    space: Vec<Option<u32>>,
}

impl FlatPool {
    fn new(pool: &[PoolMember]) -> Self {
        let mut tags = Vec::new();
        let mut at = Vec::with_capacity(pool.len() * 3);
        for m in pool {
            at.push(tags.len() as u32);
            tags.extend_from_slice(&m.offers);
            at.push(tags.len() as u32);
            tags.extend_from_slice(&m.wants);
            at.push(tags.len() as u32);
        }
        FlatPool {
            tags,
            at,
            space: pool.iter().map(|m| m.space).collect(),
        }
    }

    fn offers(&self, i: u32) -> &[u32] {
        let i = i as usize * 3;
        &self.tags[self.at[i] as usize..self.at[i + 1] as usize]
    }

    fn wants(&self, i: u32) -> &[u32] {
        let i = i as usize * 3;
        &self.tags[self.at[i + 1] as usize..self.at[i + 2] as usize]
    }

    /// The same as [`weight`].
    fn weight(&self, a: u32, b: u32, never_met: bool) -> i64 {
        let (ao, aw, bo, bw) = (self.offers(a), self.wants(a), self.offers(b), self.wants(b));
        let helps = overlap(ao, bw) + overlap(bo, aw);
        let shared = overlap(ao, bo) + overlap(aw, bw);
        let (sa, sb) = (self.space[a as usize], self.space[b as usize]);
        let space = i64::from(sa.is_some() && sa == sb);
        weights::HELPS * helps
            + weights::SHARED * shared
            + weights::SAME_SPACE * space
            + if never_met { weights::NEW_FACE } else { 0 }
    }
}

/// A weighted candidate edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    pub weight: i64,
}

/// The candidate edges: for each member, the best few of a sample of people
/// who fit them, never a recent pair.
pub fn candidate_edges(pool: &[PoolMember], history: &History, seed: u64, options: Options) -> Vec<Edge> {
    let mut rng = StdRng::seed_from_u64(seed);
    // Tags and spaces are small dense integers: index them by position.
    let tags = pool
        .iter()
        .flat_map(|m| m.offers.iter().chain(&m.wants))
        .max()
        .map_or(0, |t| *t as usize + 1);
    let spaces = pool.iter().filter_map(|m| m.space).max().map_or(0, |s| s as usize + 1);
    let mut offered: Vec<Vec<u32>> = vec![Vec::new(); tags];
    let mut wanted: Vec<Vec<u32>> = vec![Vec::new(); tags];
    let mut at_space: Vec<Vec<u32>> = vec![Vec::new(); spaces];
    for (i, m) in pool.iter().enumerate() {
        let i = i as u32;
        m.offers.iter().for_each(|t| offered[*t as usize].push(i));
        m.wants.iter().for_each(|t| wanted[*t as usize].push(i));
        if let Some(s) = m.space {
            at_space[s as usize].push(i);
        }
    }
    let n = pool.len() as u32;
    let flat = FlatPool::new(pool);
    let mut edges = Vec::with_capacity(pool.len() * options.keep);
    let mut sample: Vec<u32> = Vec::new();
    let mut scored: Vec<(i64, u32)> = Vec::new();
    for (i, m) in pool.iter().enumerate() {
        let i = i as u32;
        sample.clear();
        // A window of `per_tag` members from a random start, wrapping around.
        let mut take = |list: &[u32], rng: &mut StdRng| {
            if list.len() <= options.per_tag {
                sample.extend_from_slice(list);
            } else {
                let start = rng.gen_range(0..list.len());
                let end = start + options.per_tag;
                sample.extend_from_slice(&list[start..end.min(list.len())]);
                sample.extend_from_slice(&list[..end.saturating_sub(list.len())]);
            }
        };
        for t in &m.wants {
            take(&offered[*t as usize], &mut rng);
        }
        for t in &m.offers {
            take(&wanted[*t as usize], &mut rng);
        }
        if let Some(s) = m.space {
            take(&at_space[s as usize], &mut rng);
        }
        for _ in 0..options.random.min(n as usize) {
            sample.push(rng.gen_range(0..n));
        }
        sample.sort_unstable();
        sample.dedup();
        scored.clear();
        for &j in &sample {
            if j == i || history.is_recent(i, j) {
                continue;
            }
            let never = !history.has_met(i, j);
            scored.push((flat.weight(i, j, never), j));
        }
        let keep = options.keep.min(scored.len());
        if keep < scored.len() {
            scored.select_nth_unstable_by(keep, |x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            scored.truncate(keep);
        }
        edges.extend(scored.iter().map(|&(w, j)| Edge {
            a: i.min(j),
            b: i.max(j),
            weight: w,
        }));
    }
    edges.sort_unstable_by_key(|e| (e.a, e.b));
    edges.dedup_by(|x, y| x.a == y.a && x.b == y.b);
    edges
}

/// Today's groups (indices into the pool): pairs, and one trio if the pool is
/// odd. Every member is in exactly one group; a pool of one gives one group of
/// one.
pub fn pair(pool: &[PoolMember], history: &History, seed: u64, options: Options) -> Vec<Vec<u32>> {
    let n = pool.len();
    if n < 2 {
        return (0..n as u32).map(|i| vec![i]).collect();
    }
    let edges = candidate_edges(pool, history, seed, options);
    let mut mate = match_edges(n, &edges, options);
    let fit = |a: u32, b: u32| weight(&pool[a as usize], &pool[b as usize], !history.has_met(a, b));

    // Pair the ones left over among themselves, new faces first.
    let mut rng = StdRng::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15);
    let mut left: Vec<u32> = (0..n as u32).filter(|&v| mate[v as usize].is_none()).collect();
    left.shuffle(&mut rng);
    let odd_one = if left.len() % 2 == 1 { left.pop() } else { None };
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut seen = vec![false; n];
    for v in 0..n as u32 {
        if let Some(m) = mate[v as usize] {
            if !seen[v as usize] {
                seen[v as usize] = true;
                seen[m as usize] = true;
                pairs.push((v, m));
            }
        }
    }
    while let Some(u) = left.pop() {
        let pick = left.iter().position(|&v| !history.is_recent(u, v)).unwrap_or(0);
        if left.is_empty() {
            break;
        }
        let v = left.swap_remove(pick);
        mate[u as usize] = Some(v);
        mate[v as usize] = Some(u);
        pairs.push((u, v));
    }

    // Undo repeats that a swap with another pair can avoid.
    for i in 0..pairs.len() {
        let (u, v) = pairs[i];
        if !history.is_recent(u, v) {
            continue;
        }
        for j in 0..pairs.len() {
            let (x, y) = pairs[j];
            if i == j {
                continue;
            }
            let swaps = [((u, x), (v, y)), ((u, y), (v, x))];
            if let Some(&(p, q)) = swaps
                .iter()
                .find(|((a, b), (c, d))| !history.is_recent(*a, *b) && !history.is_recent(*c, *d))
            {
                pairs[i] = p;
                pairs[j] = q;
                break;
            }
        }
    }

    let mut groups: Vec<Vec<u32>> = pairs.into_iter().map(|(a, b)| vec![a, b]).collect();
    // The odd one joins the pair they fit best (not one they met recently).
    if let Some(o) = odd_one {
        let best = groups
            .iter()
            .enumerate()
            .map(|(g, members)| {
                let repeat = members.iter().any(|&m| history.is_recent(o, m));
                let score: i64 = members.iter().map(|&m| fit(o, m)).sum();
                (g, !repeat, score)
            })
            .max_by(|x, y| (x.1, x.2).cmp(&(y.1, y.2)).then(y.0.cmp(&x.0)))
            .map(|(g, _, _)| g);
        match best {
            Some(g) => groups[g].push(o),
            None => groups.push(vec![o]),
        }
    }
    for g in &mut groups {
        g.sort_unstable();
    }
    groups.sort_unstable();
    groups
}

/// The total weight of groups (each pair within a group counts).
pub fn total_weight(pool: &[PoolMember], history: &History, groups: &[Vec<u32>]) -> i64 {
    groups
        .iter()
        .map(|g| {
            let mut sum = 0;
            for (i, &a) in g.iter().enumerate() {
                for &b in &g[i + 1..] {
                    sum += weight(&pool[a as usize], &pool[b as usize], !history.has_met(a, b));
                }
            }
            sum
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(offers: &[u32], wants: &[u32], space: Option<u32>) -> PoolMember {
        PoolMember {
            offers: offers.to_vec(),
            wants: wants.to_vec(),
            space,
        }
    }

    /// A random pool: `tags` tags, a few offers and wants each, some at spaces.
    fn random_pool(n: usize, tags: u32, seed: u64) -> Vec<PoolMember> {
        let mut rng = StdRng::seed_from_u64(seed);
        (0..n)
            .map(|_| {
                let mut pick = |k: usize| {
                    let mut t: Vec<u32> = (0..k).map(|_| rng.gen_range(0..tags)).collect();
                    t.sort_unstable();
                    t.dedup();
                    t
                };
                let (offers, wants) = (pick(3), pick(3));
                let space = rng.gen_bool(0.5).then(|| rng.gen_range(0..10));
                PoolMember { offers, wants, space }
            })
            .collect()
    }

    fn check_partition(n: usize, groups: &[Vec<u32>]) {
        let mut seen = vec![0; n];
        for g in groups {
            for &m in g {
                seen[m as usize] += 1;
            }
        }
        assert!(seen.iter().all(|&c| c == 1), "everyone in exactly one group: {seen:?}");
        let trios = groups.iter().filter(|g| g.len() == 3).count();
        assert!(groups.iter().all(|g| g.len() == 2 || g.len() == 3 || n == 1));
        assert_eq!(trios, n % 2, "one trio exactly when the pool is odd");
    }

    #[test]
    fn complementary_pairs_win_over_chance() {
        // Five experts, each offering the one thing one learner wants.
        let mut pool = Vec::new();
        for t in 0..5 {
            pool.push(member(&[t], &[], None)); // expert t: index 2t
            pool.push(member(&[], &[t], None)); // learner t: index 2t + 1
        }
        let groups = pair(&pool, &History::default(), 42, Options::default());
        let expected: Vec<Vec<u32>> = (0..5).map(|t| vec![2 * t, 2 * t + 1]).collect();
        assert_eq!(groups, expected);
    }

    #[test]
    fn every_member_is_placed_once_and_odd_pools_make_one_trio() {
        for (n, seed) in [(2, 1), (3, 2), (7, 3), (50, 4), (51, 5), (400, 6), (401, 7)] {
            let pool = random_pool(n, 200, seed);
            // Matched exactly, and by the local search larger pools get.
            for options in [Options::default(), Options::EARLIER] {
                let groups = pair(&pool, &History::default(), seed, options);
                check_partition(n, &groups);
            }
        }
        assert_eq!(
            pair(&random_pool(1, 5, 1), &History::default(), 1, Options::default()),
            vec![vec![0]]
        );
        assert!(pair(&[], &History::default(), 1, Options::default()).is_empty());
    }

    #[test]
    fn the_same_seed_gives_the_same_groups() {
        let pool = random_pool(300, 50, 9);
        let a = pair(&pool, &History::default(), 77, Options::default());
        assert_eq!(a, pair(&pool, &History::default(), 77, Options::default()));
    }

    /// Over random pools and histories: a repeat only happens when no swap
    /// with another group could have avoided it.
    #[test]
    fn repeats_are_avoided_whenever_a_swap_could_avoid_them() {
        let mut rng = StdRng::seed_from_u64(2026);
        for case in 0..200 {
            let n = rng.gen_range(2..80);
            let pool = random_pool(n, 30, case);
            let density = rng.gen_range(0.0..0.6);
            let mut history = History::default();
            for a in 0..n as u32 {
                for b in a + 1..n as u32 {
                    if rng.gen_bool(density) {
                        history.add(a, b, true);
                    }
                }
            }
            let groups = pair(&pool, &history, case, Options::default());
            check_partition(n, &groups);
            let pairs: Vec<(u32, u32)> = groups.iter().filter(|g| g.len() == 2).map(|g| (g[0], g[1])).collect();
            for (i, &(u, v)) in pairs.iter().enumerate() {
                if !history.is_recent(u, v) {
                    continue;
                }
                for (j, &(x, y)) in pairs.iter().enumerate() {
                    if i != j {
                        let fixable = (!history.is_recent(u, x) && !history.is_recent(v, y))
                            || (!history.is_recent(u, y) && !history.is_recent(v, x));
                        assert!(!fixable, "case {case}: repeat {u}-{v} could swap with {x}-{y}");
                    }
                }
            }
            if density < 0.05 && n >= 8 {
                let repeats = groups
                    .iter()
                    .filter(|g| g.len() == 2 && history.is_recent(g[0], g[1]))
                    .count();
                assert_eq!(repeats, 0, "case {case}: sparse history leaves room for new faces");
            }
        }
    }

    /// The weight of a matching of `edges`.
    fn weight_of(edges: &[Edge], mate: &[Option<u32>]) -> i64 {
        edges
            .iter()
            .filter(|e| mate[e.a as usize] == Some(e.b))
            .map(|e| e.weight)
            .sum()
    }

    #[test]
    fn the_exact_matching_is_never_lighter_and_the_local_search_stays_close() {
        for seed in 0..6 {
            let pool = random_pool(500, 40, seed);
            let mut history = History::default();
            for a in 0..100 {
                history.add(a, a + 1, true);
            }
            let edges = candidate_edges(&pool, &history, seed, Options::default());
            let exact = weight_of(&edges, &match_edges(500, &edges, Options::default()));
            let local = weight_of(&edges, &match_edges(500, &edges, Options::EARLIER));
            assert!(exact >= local, "seed {seed}: exact {exact} < local {local}");
            assert!(
                local * 100 >= exact * 95,
                "seed {seed}: local {local} far below {exact}"
            );
        }
    }

    #[test]
    fn a_pair_that_met_is_still_paired_when_there_is_nobody_else() {
        let pool = vec![member(&[1], &[2], None), member(&[2], &[1], None)];
        let mut history = History::default();
        history.add(0, 1, true);
        assert_eq!(pair(&pool, &history, 3, Options::default()), vec![vec![0, 1]]);
    }

    #[test]
    fn the_flat_pool_weighs_like_the_members() {
        let pool = random_pool(60, 20, 11);
        let flat = FlatPool::new(&pool);
        for a in 0..60u32 {
            for b in 0..60u32 {
                for never in [false, true] {
                    assert_eq!(
                        flat.weight(a, b, never),
                        weight(&pool[a as usize], &pool[b as usize], never)
                    );
                }
            }
        }
    }

    #[test]
    fn weights_favour_helping_then_place_then_new_faces() {
        let a = member(&[1], &[2], Some(1));
        let helper = member(&[2], &[], None);
        let neighbour = member(&[], &[], Some(1));
        assert!(weight(&a, &helper, false) > weight(&a, &neighbour, true));
        assert!(weight(&a, &neighbour, false) > weight(&a, &member(&[], &[], None), true));
    }
}
