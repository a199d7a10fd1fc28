"""Time the platform check: 1,000 speaker names against a 1,000,000-entry registry.

Pure Python (no database, no Django), pinned to one CPU core. Reports separately:
- generating the synthetic registry (not part of the engine's cost);
- building the MatchIndex: wall time and the resident memory it adds;
- matching 1,000 names one by one: the median of 3 runs (target < 2 s) in CPU
  time and in wall time, with per-query CPU percentiles from the median run. On a
  shared machine wall time includes waiting for the core; CPU time does not.

Two query mixes are timed against the same index:
- population: a quarter variants of registry people (titles, initials, nicknames,
  typos, transliterations, ...) and three quarters other people drawn from the
  same population; in a registry this large many of them are namesakes.
- hard: only inexact variants (initials, nicknames, transliterations, one or two
  typos), none of which can be answered by the exact-name shortcut.

    .venv/bin/python benchmarks/platform_check.py [--entries N] [--queries N] [--runs N] [--mix M]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
from collections import Counter

from fairhearing.registry.matching import MatchIndex, MatchResult, RegistryName
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


#: Variant kinds that never hit the exact-name fast path: the slow end of the work.
HARD_KINDS = ("initials", "nickname", "transliteration", "typo1", "typo2")


def make_queries(
    people: list, count: int, seed: int, mix: str = "population"
) -> list[tuple[str, str | None]]:
    """``population``: a quarter registry variants, the rest other people from the
    same population (many are namesakes). ``hard``: only inexact variants."""
    rng = random.Random(seed)
    kinds = HARD_KINDS if mix == "hard" else [k for k in POSITIVE_KINDS if k != "with_number"]
    variants = count if mix == "hard" else count // 4
    queries: list[tuple[str, str | None]] = []
    while len(queries) < variants:
        person = rng.choice(people)
        text = positive_variant(rng.choice(kinds), person, person.name, rng)
        if text is not None:
            queries.append((text, None))
    strangers = benchmark_people(count - len(queries), seed + 1)
    queries.extend((person.name, None) for person in strangers)
    rng.shuffle(queries)
    return queries


def time_queries(index: MatchIndex, queries: list[tuple[str, str | None]], runs: int, mix: str) -> None:
    """Match the queries ``runs`` times; print the median run in CPU and wall time."""
    wall_runs: list[float] = []
    cpu_runs: list[float] = []
    per_query_runs: list[list[float]] = []
    results: list[MatchResult] = []
    for _ in range(runs):
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
    timings = per_query_runs[cpu_runs.index(median_cpu)] if runs % 2 else per_query_runs[0]
    cuts = statistics.quantiles(timings, n=100)
    print(f"[{mix}] match {len(queries):,} names, median of {runs} runs: "
          f"CPU {median_cpu:.2f} s, wall {statistics.median(wall_runs):.2f} s; target < 2 s")
    print(f"  runs CPU: {', '.join(f'{s:.2f}' for s in cpu_runs)}; "
          f"wall: {', '.join(f'{s:.2f}' for s in wall_runs)}")
    print(f"  per query CPU: p50 {cuts[49] * 1e3:.2f} ms, p95 {cuts[94] * 1e3:.2f} ms, "
          f"p99 {cuts[98] * 1e3:.2f} ms, max {max(timings) * 1e3:.2f} ms")
    print("verdicts:", dict(Counter(result.verdict.value for result in results)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mix", choices=("population", "hard", "both"), default="both")
    args = parser.parse_args()

    print(f"platform check benchmark: {args.queries:,} names against {args.entries:,} entries")
    print(pin_to_one_core())

    started = time.perf_counter()
    entries, people = make_registry(args.entries, args.seed)
    mixes = ("population", "hard") if args.mix == "both" else (args.mix,)
    query_sets = {mix: make_queries(people, args.queries, args.seed, mix) for mix in mixes}
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

    for mix, queries in query_sets.items():
        time_queries(index, queries, args.runs, mix)
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"(wall time above CPU time means other processes shared the core)")


if __name__ == "__main__":
    main()
