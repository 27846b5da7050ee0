//! Daily pairing at scale, and how close it gets to the optimum.
//!
//! `cargo bench --bench pairing` times `pairing::pair` (candidates, matching,
//! leftovers, the trio) on synthetic communities of 1,000, 10,000 and 100,000
//! members (200 tags, 10 spaces with half the members checked in, random
//! histories). For n = 1,000 and 2,000 it writes the candidate graph the
//! matcher works on to a file; the matcher reads it back and
//! `scripts/pairing_optimum.py` runs networkx's exact `max_weight_matching` on
//! the same file. Printed, never asserted. Needs `pip install networkx` for the
//! quality rows (skipped with a note otherwise).
//!
//! Targets (issue 4): 100,000 members in under 2 s; at n = 2,000 at least 97%
//! of the optimum's weight and at least 50 times faster than networkx.

use std::io::Write;
use std::process::Command;
use std::time::Instant;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use seatmate_bot::pairing::{self, Edge, History, Options, PoolMember};

const TAGS: u32 = 200;
const SPACES: u32 = 10;

/// A synthetic community: 1–4 offers and wants from 200 tags (some tags far
/// more popular than others), half checked in at one of 10 spaces, and a
/// history of about 6 past partners each, half of them within the window.
fn community(n: usize, seed: u64) -> (Vec<PoolMember>, History) {
    let mut rng = StdRng::seed_from_u64(seed);
    let tag = |rng: &mut StdRng| {
        // Squaring skews towards low numbers: popular tags.
        let x: f64 = rng.gen();
        ((x * x) * f64::from(TAGS)) as u32
    };
    let pool: Vec<PoolMember> = (0..n)
        .map(|_| {
            let pick = |rng: &mut StdRng| {
                let k = rng.gen_range(1..=4);
                let mut t: Vec<u32> = (0..k).map(|_| tag(rng)).collect();
                t.sort_unstable();
                t.dedup();
                t
            };
            let offers = pick(&mut rng);
            let wants = pick(&mut rng);
            let space = rng.gen_bool(0.5).then(|| rng.gen_range(0..SPACES));
            PoolMember { offers, wants, space }
        })
        .collect();
    let mut history = History::default();
    for a in 0..n as u32 {
        for _ in 0..3 {
            let b = rng.gen_range(0..n as u32);
            if a != b {
                history.add(a, b, rng.gen_bool(0.5));
            }
        }
    }
    (pool, history)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let out = f();
    (out, started.elapsed().as_secs_f64())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn write_graph(path: &std::path::Path, n: usize, edges: &[Edge]) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "{n}").unwrap();
    for e in edges {
        writeln!(f, "{} {} {}", e.a, e.b, e.weight).unwrap();
    }
}

fn read_graph(path: &std::path::Path) -> (usize, Vec<Edge>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let n = lines.next().unwrap().parse().unwrap();
    let edges = lines
        .map(|l| {
            let mut p = l.split(' ').map(|x| x.parse::<i64>().unwrap());
            let (a, b, weight) = (p.next().unwrap(), p.next().unwrap(), p.next().unwrap());
            Edge {
                a: a as u32,
                b: b as u32,
                weight,
            }
        })
        .collect();
    (n, edges)
}

fn networkx(path: &std::path::Path) -> Option<(i64, f64)> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pairing_optimum.py");
    let out = Command::new("python3").arg(script).arg(path).output().ok()?;
    if !out.status.success() {
        eprintln!(
            "networkx run failed: {}",
            String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("")
        );
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

fn main() {
    let options = Options::default();
    println!("Pairing time (pairing::pair: candidates, matching, leftovers, trio), release build");
    println!("{:>9} {:>10} {:>12} {:>10}", "members", "edges", "seconds", "groups");
    for n in [1_000, 10_000, 100_000] {
        let (pool, history) = community(n, n as u64);
        let runs = if n >= 100_000 { 3 } else { 5 };
        let mut times = Vec::new();
        let mut groups = Vec::new();
        for _ in 0..runs {
            let (g, t) = timed(|| pairing::pair(&pool, &history, 7, options));
            times.push(t);
            groups = g;
        }
        let edges = pairing::candidate_edges(&pool, &history, 7, options).len();
        println!("{:>9} {:>10} {:>12.3} {:>10}", n, edges, median(times), groups.len());
    }

    println!();
    println!("Quality on the candidate graph, against networkx max_weight_matching (exact)");
    println!(
        "{:>7} {:>8} {:>12} {:>12} {:>8} {:>12} {:>12} {:>9}",
        "members", "edges", "our weight", "optimum", "ratio", "our seconds", "nx seconds", "speed-up"
    );
    let dir = tempfile::tempdir().unwrap();
    for n in [1_000, 2_000] {
        let (pool, history) = community(n, 1_000 + n as u64);
        let path = dir.path().join(format!("graph-{n}.txt"));
        write_graph(&path, n, &pairing::candidate_edges(&pool, &history, 7, options));
        let (n, edges) = read_graph(&path);
        let (mate, ours_s) = timed(|| pairing::match_edges(n, &edges, options.passes));
        let weights: std::collections::HashMap<(u32, u32), i64> =
            edges.iter().map(|e| ((e.a, e.b), e.weight)).collect();
        let ours: i64 = (0..n as u32)
            .filter_map(|v| mate[v as usize].filter(|&m| v < m).map(|m| weights[&(v, m)]))
            .sum();
        match networkx(&path) {
            Some((optimum, nx_s)) => println!(
                "{:>7} {:>8} {:>12} {:>12} {:>8.4} {:>12.4} {:>12.3} {:>8.0}x",
                n,
                edges.len(),
                ours,
                optimum,
                ours as f64 / optimum as f64,
                ours_s,
                nx_s,
                nx_s / ours_s
            ),
            None => println!(
                "{n:>7} {:>8} {ours:>12}  (networkx not available: pip install networkx)",
                edges.len()
            ),
        }
    }
    println!("targets: 100,000 members under 2 s; at 2,000 at least 0.97 of the optimum and 50x faster than networkx");
}
