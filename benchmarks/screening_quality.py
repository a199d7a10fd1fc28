"""Screening quality: the figures quoted in docs/screening.md.

1. Held-out split of the shared data (dataset.is_held_out; never used in training or tuning):
   precision, recall and F1 for label 1, accuracy and flag rate, per file and per subtype; the
   flag rate on held-out ISCA tweets labelled 0 that name antisemitism (real counter-speech and
   reporting); and, for comparison, two TF-IDF + logistic regression baselines trained on the
   same ISCA training rows: the plain one (word unigrams, scikit-learn defaults, threshold 0.5)
   and the standard one (word 1-2 grams and character 2-5 grams, balanced class weights,
   threshold chosen by 5-fold cross-validation on the training rows only, folds grouped by
   normalised text).
2. The functional cases (fairhearing/screening/tests/data/functional_*.toml; see
   docs/screening.md for which were development sets and which were measured first when):
   recall on hateful cases per functionality and flag rates on the non-hateful groups, with the
   model and on the lexicon alone.

    .venv/bin/python benchmarks/screening_quality.py [DATA_DIR]
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fairhearing.screening.dataset import data_files, default_data_dir, is_held_out, read_rows
from fairhearing.screening.engine import default_screener, screener_for
from fairhearing.screening.evaluate import evaluate, format_report
from fairhearing.screening.tests.functional import CASES_PATH, load_cases
from fairhearing.screening.train import load_training_rows

NAMES_ANTISEMITISM = re.compile(r"anti-?semit|antisemet|jew hat", re.IGNORECASE)


def _baseline(data_dir: Path, isca: Path) -> None:
    import numpy as np
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_fscore_support
    from sklearn.model_selection import StratifiedGroupKFold

    from fairhearing.screening.dataset import split_key

    train_rows = [r for r in load_training_rows(data_dir) if r.source.startswith("isca")]
    test_rows = [r for r in read_rows(isca) if is_held_out(r.text)]
    texts, y = [r.text for r in train_rows], np.array([r.label for r in train_rows])
    truth = [r.label for r in test_rows]

    vectoriser = TfidfVectorizer()
    plain = LogisticRegression(max_iter=2000).fit(vectoriser.fit_transform(texts), y)
    predicted = plain.predict(vectoriser.transform([r.text for r in test_rows]))
    p, r, f, _ = precision_recall_fscore_support(truth, predicted, average="binary")
    print(f"plain baseline (word unigrams, defaults, threshold 0.5): P {p:.3f} R {r:.3f} F1 {f:.3f}")

    def fit(fit_texts: list[str], labels: Any) -> Callable[[list[str]], Any]:
        words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
        x = hstack([words.fit_transform(fit_texts), chars.fit_transform(fit_texts)]).tocsr()
        model = LogisticRegression(class_weight="balanced", solver="liblinear").fit(x, labels)
        return lambda t: model.predict_proba(
            hstack([words.transform(t), chars.transform(t)]).tocsr())[:, 1]

    oof = np.zeros(len(texts))
    folds = StratifiedGroupKFold(5, shuffle=True, random_state=0)
    for a, b in folds.split(texts, y, [split_key(t) for t in texts]):
        oof[b] = fit([texts[i] for i in a], y[a])([texts[i] for i in b])
    thresholds = np.arange(0.05, 0.95, 0.01)
    scores = [precision_recall_fscore_support(y, oof >= t, average="binary")[2] for t in thresholds]
    threshold = float(thresholds[int(np.argmax(scores))])
    probability = fit(texts, y)([r.text for r in test_rows])
    p, r, f, _ = precision_recall_fscore_support(truth, probability >= threshold, average="binary")
    print(f"standard baseline (word 1-2 + char 2-5, balanced, threshold {threshold:.2f} by CV, "
          f"out-of-fold F1 {max(scores):.3f}): P {p:.3f} R {r:.3f} F1 {f:.3f}\n")


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
    _functional(CASES_PATH.with_name("functional_holdout_2026a.toml"))
    _functional(CASES_PATH.with_name("functional_holdout_2026b.toml"))
    _functional(CASES_PATH.with_name("functional_holdout_2026c.toml"))
    _functional(CASES_PATH.with_name("functional_holdout_2026d.toml"))
    _functional(CASES_PATH.with_name("functional_holdout_2026e.toml"))


if __name__ == "__main__":
    main()
