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
