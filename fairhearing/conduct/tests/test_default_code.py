"""Golden test: the default code's clause identifiers, titles and nesting are part of the
product's promise (cases and findings cite them), so any change must be deliberate."""

from __future__ import annotations

from fairhearing.conduct.codefile import parse_code_file
from fairhearing.conduct.services import DEFAULT_CODE_FILE

GOLDEN = [
    ("ZT", None, "Zero tolerance of racism and all discrimination"),
    ("AS", "ZT", "Antisemitism"),
    ("AS-0", "AS", "The working definition"),
    ("AS-1", "AS", "Calling for or justifying harm to Jews"),
    ("AS-2", "AS", "Conspiracy and power myths"),
    ("AS-3", "AS", "Collective responsibility for individual wrongdoing"),
    ("AS-4", "AS", "Holocaust denial"),
    ("AS-5", "AS", "Accusing Jews of inventing or exaggerating the Holocaust"),
    ("AS-6", "AS", "Dual loyalty"),
    ("AS-7", "AS", "Denying self-determination"),
    ("AS-8", "AS", "Double standards"),
    ("AS-9", "AS", "Classic antisemitic symbols and images"),
    ("AS-10", "AS", "Nazi comparisons"),
    ("AS-11", "AS", "Collective responsibility for Israel's actions"),
    ("RAC-1", "ZT", "Other racism"),
    ("DIS-1", "ZT", "Other discrimination"),
    ("HAR-1", None, "Sexual harassment"),
    ("BUL-1", None, "Bullying and intimidation"),
    ("ONL-1", None, "Online conduct, including sharing and liking"),
]


def test_the_default_code_keeps_its_clause_identifiers_titles_and_nesting() -> None:
    spec = parse_code_file(DEFAULT_CODE_FILE, for_adoption=True)
    assert [(c.identifier, c.parent, c.title) for c in spec.clauses] == GOLDEN


def test_each_ihra_example_is_its_own_clause_citing_its_number() -> None:
    clauses = {c.identifier: c for c in parse_code_file(DEFAULT_CODE_FILE, for_adoption=True).clauses}
    for number in range(1, 12):
        assert f"(IHRA example {number}.)" in clauses[f"AS-{number}"].text
    assert "IHRA working definition" in clauses["AS-0"].text


def test_the_default_code_says_policy_criticism_is_not_antisemitic() -> None:
    clauses = {c.identifier: c for c in parse_code_file(DEFAULT_CODE_FILE, for_adoption=True).clauses}
    assert "Criticism of Israel like that levelled against any other country is not antisemitic" in clauses["AS"].text
