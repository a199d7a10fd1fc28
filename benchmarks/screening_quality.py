"""Screening quality: the figures quoted in docs/screening.md.

1. Held-out split of the shared data (dataset.is_held_out; never used in training or tuning):
   precision, recall and F1 for label 1, accuracy and flag rate, per file and per subtype; the
   flag rate on held-out ISCA tweets labelled 0 that name antisemitism (real counter-speech and
   reporting); and, for comparison, a plain TF-IDF + logistic regression baseline trained on the
   same training rows (scikit-learn defaults, threshold 0.5).
2. The functional cases (fairhearing/screening/tests/data/functional_cases.toml, and
   functional_unseen.toml, written after the lexicon was frozen): recall on hateful cases per
   functionality and flag rates on the non-hateful groups, with the model and on the lexicon
   alone.

    .venv/bin/python benchmarks/screening_quality.py [DATA_DIR]
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

from fairhearing.screening.dataset import data_files, default_data_dir, is_held_out, read_rows
from fairhearing.screening.engine import default_screener, screener_for
from fairhearing.screening.evaluate import evaluate, format_report
from fairhearing.screening.tests.functional import CASES_PATH, load_cases
from fairhearing.screening.train import load_training_rows

NAMES_ANTISEMITISM = re.compile(r"anti-?semit|antisemet|jew hat", re.IGNORECASE)


def _baseline(data_dir: Path, isca: Path) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_fscore_support

    train_rows = [r for r in load_training_rows(data_dir) if r.source.startswith("isca")]
    test_rows = [r for r in read_rows(isca) if is_held_out(r.text)]
    vectoriser = TfidfVectorizer()
    model = LogisticRegression(max_iter=2000).fit(
        vectoriser.fit_transform([r.text for r in train_rows]), [r.label for r in train_rows])
    predicted = model.predict(vectoriser.transform([r.text for r in test_rows]))
    p, r, f, _ = precision_recall_fscore_support([r.label for r in test_rows], predicted,
                                                 average="binary")
    print(f"baseline TF-IDF + LR on the same ISCA split: P {p:.3f} R {r:.3f} F1 {f:.3f}\n")


def _held_out(data_dir: Path) -> None:
    print("== held-out split ==")
    for path in data_files(data_dir):
        print(format_report(evaluate(path, held_out_only=True)), "\n")
    isca = data_dir / "isca_train.csv"
    screener = default_screener()
    counter = [r for r in read_rows(isca)
               if is_held_out(r.text) and r.label == 0 and NAMES_ANTISEMITISM.search(r.text)]
    flagged = sum(screener.screen(r.text).flag for r in counter)
    print(f"held-out ISCA tweets labelled 0 that name antisemitism: {len(counter)}, "
          f"flagged {flagged} ({100 * flagged / max(len(counter), 1):.1f}%)")
    _baseline(data_dir, isca)


def _functional(path: Path) -> None:
    print(f"== functional cases: {path.name} ==")
    cases = load_cases(path)
    for name, screener in (("model + lexicon", default_screener()), ("lexicon only", screener_for(None))):
        by_group: dict[str, list[bool]] = defaultdict(list)
        by_kind: dict[str, list[bool]] = defaultdict(list)
        for case in cases:
            flag = screener.screen(case.text).flag
            by_group[case.functionality].append(flag)
            by_kind["hateful (recall)" if case.hateful else f"{case.kind} (flag rate)"].append(flag)
        print(f"-- {name}")
        for kind, flags in sorted(by_kind.items()):
            print(f"   {kind:<24} {sum(flags):>4}/{len(flags):<4} = {sum(flags) / len(flags):.3f}")
        for group, flags in sorted(by_group.items()):
            print(f"      {group:<22} {sum(flags):>4}/{len(flags)}")


def main() -> None:
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else default_data_dir()
    _held_out(data_dir)
    _functional(CASES_PATH)
    _functional(CASES_PATH.with_name("functional_unseen.toml"))
    _functional(CASES_PATH.with_name("functional_fresh.toml"))
    _functional(CASES_PATH.with_name("functional_final.toml"))


if __name__ == "__main__":
    main()
