"""The functional cases, re-exported for the tests (the expansion lives in screening/cases.py)."""

from fairhearing.screening.cases import CASES_PATH, Case, load_cases, perturb

__all__ = ["CASES_PATH", "Case", "load_cases", "perturb"]
