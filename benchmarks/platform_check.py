"""Time the platform check: 1,000 speaker names against a 1,000,000-entry registry.

Pure Python (no database, no Django), pinned to one CPU core. Reports separately:
- generating the synthetic registry (not part of the engine's cost);
- building the MatchIndex: wall time and the resident memory it adds;
- matching 1,000 names one by one: the median of 3 runs (target < 2 s) in CPU
  time and in wall time, with per-query CPU percentiles from the median run. On a
  shared machine wall time includes waiting for the core; CPU time does not.

The 1,000 queries are a quarter variants of registry people (titles, initials,
nicknames, typos, transliterations, ...) and three quarters other people, since
most speakers on a real list are not in the registry.

    .venv/bin/python benchmarks/platform_check.py [--entries N] [--queries N] [--runs N]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
from collections import Counter

from fairhearing.registry.matching import MatchIndex, RegistryName
from fairhearing.registry.namegen import POSITIVE_KINDS, benchmark_people, positive_variant


def rss_bytes() -> int:
    """Resident set size of this process, from /proc (Linux)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def make_registry(count: int, seed: int) -> tuple[list[RegistryName], list]:
    people = list(benchmark_people(count, seed))
    rng = random.Random(seed)
    entries = [
        RegistryName(
            entry_id=f"R{i:07d}",
            name=person.name,
            membership_number=f"{10_000_000 + i}" if rng.random() < 0.7 else None,
        )
        for i, person in enumerate(people)
    ]
    return entries, people


def make_queries(people: list, count: int, seed: int) -> list[tuple[str, str | None]]:
    rng = random.Random(seed)
    queries: list[tuple[str, str | None]] = []
    for _ in range(count // 4):
        person = rng.choice(people)
        text = None
        while text is None:
            kind = rng.choice([k for k in POSITIVE_KINDS if k != "with_number"])
            text = positive_variant(kind, person, person.name, rng)
        queries.append((text, None))
    strangers = benchmark_people(count - len(queries), seed + 1)
    queries.extend((person.name, None) for person in strangers)
    rng.shuffle(queries)
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    print(f"platform check benchmark: {args.queries:,} names against {args.entries:,} entries")
    print(pin_to_one_core())

    started = time.perf_counter()
    entries, people = make_registry(args.entries, args.seed)
    queries = make_queries(people, args.queries, args.seed)
    print(f"generate registry and queries: {time.perf_counter() - started:.1f} s (not engine cost)")

    gc.collect()
    before = rss_bytes()
    started, cpu_started = time.perf_counter(), time.process_time()
    index = MatchIndex(entries)
    build_wall, build_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    gc.collect()
    added = rss_bytes() - before
    print(f"build index: CPU {build_cpu:.1f} s, wall {build_wall:.1f} s; "
          f"+{added / 2**20:,.0f} MiB resident ({added / len(index):,.0f} bytes per entry)")

    sizes = sorted((len(bucket) for bucket in index._blocks.values()), reverse=True)
    print(f"blocking keys: {len(sizes):,}; largest blocks: {sizes[:3]}; "
          f"median block {statistics.median(sizes):.0f}")

    wall_runs: list[float] = []
    cpu_runs: list[float] = []
    per_query_runs: list[list[float]] = []
    results = []
    for _ in range(args.runs):
        timings: list[float] = []
        results = []
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        for name, number in queries:
            query_start = time.thread_time()
            results.append(index.match(name, number))
            timings.append(time.thread_time() - query_start)
        cpu_runs.append(time.process_time() - cpu_start)
        wall_runs.append(time.perf_counter() - wall_start)
        per_query_runs.append(timings)

    median_cpu = statistics.median(cpu_runs)
    timings = per_query_runs[cpu_runs.index(median_cpu)] if args.runs % 2 else per_query_runs[0]
    cuts = statistics.quantiles(timings, n=100)
    print(f"match {len(queries):,} names, median of {args.runs} runs: "
          f"CPU {median_cpu:.2f} s, wall {statistics.median(wall_runs):.2f} s; target < 2 s")
    print(f"  runs CPU: {', '.join(f'{s:.2f}' for s in cpu_runs)}; "
          f"wall: {', '.join(f'{s:.2f}' for s in wall_runs)}")
    print(f"  per query CPU: p50 {cuts[49] * 1e3:.2f} ms, p95 {cuts[94] * 1e3:.2f} ms, "
          f"p99 {cuts[98] * 1e3:.2f} ms, max {max(timings) * 1e3:.2f} ms")
    print("verdicts:", dict(Counter(result.verdict.value for result in results)))
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"(wall time above CPU time means other processes shared the core)")


if __name__ == "__main__":
    main()
