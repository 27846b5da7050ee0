#!/usr/bin/env python3
"""The optimum the pairing benchmark compares against.

Reads a weighted graph written by `cargo bench --bench pairing` (first line:
the number of nodes; then one edge per line: `a b weight`), runs networkx's
exact max_weight_matching on it, and prints `weight seconds` on one line.

    pip install networkx
    python3 scripts/pairing_optimum.py graph.txt
"""
import sys
import time

import networkx as nx


def main(path: str) -> None:
    graph = nx.Graph()
    with open(path, encoding="utf-8") as f:
        graph.add_nodes_from(range(int(f.readline())))
        for line in f:
            a, b, w = line.split()
            graph.add_edge(int(a), int(b), weight=int(w))
    started = time.perf_counter()
    matching = nx.max_weight_matching(graph)
    seconds = time.perf_counter() - started
    weight = sum(graph[a][b]["weight"] for a, b in matching)
    print(weight, f"{seconds:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
