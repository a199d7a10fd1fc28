"""Screening throughput on one core: texts per second through ``screen_many``.

Screens the ISCA tweets of the shared data (text only) in a loop, after a warm-up pass that
loads the lexicon and model, and prints texts/second and the mean microseconds per text, with
the model and on the lexicon alone. Run on one core:

    taskset -c 0 .venv/bin/python benchmarks/screening_speed.py [DATA_DIR] [REPEATS]

The word caches of the folding, the feature extractor and the model are part of real use (words
repeat across texts), so each pass is also timed with every cache emptied first ("cold").
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

from fairhearing.screening import features, normalise
from fairhearing.screening.dataset import default_data_dir
from fairhearing.screening.engine import default_screener, screener_for


def _texts(data_dir: Path) -> list[str]:
    with (data_dir / "isca_train.csv").open(newline="", encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def _clear_caches() -> None:
    model = default_screener().model
    if model is not None:
        model._cache.clear()
    normalise._fold.cache_clear()
    normalise._fold_token.cache_clear()
    features._char_buckets.cache_clear()
    features._word_bucket.cache_clear()


def _time(screen, texts: list[str], repeats: int, cold: bool) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Texts per second of wall time and of CPU time (the two differ on a busy machine)."""
    wall = cpu = 0.0
    for _ in range(repeats):
        if cold:
            _clear_caches()
        start, start_cpu = time.perf_counter(), time.process_time()
        for text in texts:
            screen(text)
        wall += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
    return len(texts) * repeats / wall, len(texts) * repeats / cpu


def main() -> None:
    args = sys.argv[1:]
    data_dir = Path(args[0]) if args else default_data_dir()
    repeats = int(args[1]) if len(args) > 1 else 3
    texts = _texts(data_dir)
    # Distinct texts, so that the fold cache (sized for repeated evidence) does not flatter.
    texts = list(dict.fromkeys(texts))
    mean_chars = sum(map(len, texts)) / len(texts)
    with open("/proc/loadavg", encoding="ascii") as handle:
        load = handle.read().split()[:3]
    print(f"{len(texts)} distinct tweets, {mean_chars:.0f} characters on average, {repeats} passes; "
          f"load average {' '.join(load)}")
    for name, screener in (("model + lexicon", default_screener()), ("lexicon only", screener_for(None))):
        screener.screen("warm up")
        for cold in (False, True):
            rate, cpu_rate = _time(screener.screen, texts, repeats, cold)
            print(f"{name:<16} {'cold caches' if cold else 'warm caches':<12} "
                  f"{rate:>8.0f} texts/s wall ({1e6 / rate:>5.0f} µs/text), "
                  f"{cpu_rate:>6.0f} texts/s of CPU time")


if __name__ == "__main__":
    main()
