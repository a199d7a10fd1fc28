"""Name matching for the platform check: is a named speaker in the sanctions registry?

Pure Python (rapidfuzz, unidecode, numpy); no Django imports, so it can be
tested and benchmarked alone. Typical use::

    index = MatchIndex(RegistryName(entry_id, name, number) for ... in registry)
    items, errors = parse_speaker_lines(pasted_text)
    results = index.match_many(items)

Each result says match, possible match (for staff review) or no match, with a
score. It never says why: ``entry_id`` is for staff review only.

The code is split by concern: matching_normalise (reading names),
matching_names (nickname groups and known names), matching_score (comparing two
names), matching_index (blocking, candidates, verdict rules) and matching_parse
(reading speaker lists). This module re-exports the public names.
"""

from fairhearing.registry.matching_index import MatchIndex
from fairhearing.registry.matching_names import NameKnowledge, load_name_groups
from fairhearing.registry.matching_normalise import (
    MAX_NAME_LENGTH,
    InvalidNameError,
    NormalisedName,
    normalise_name,
    phonetic_key,
)
from fairhearing.registry.matching_parse import MAX_SPEAKERS, parse_speaker_lines
from fairhearing.registry.matching_types import (
    MATCH_THRESHOLD,
    POSSIBLE_CEILING,
    POSSIBLE_THRESHOLD,
    MatchResult,
    RegistryName,
    Verdict,
    normalise_membership_number,
)

__all__ = [
    "MATCH_THRESHOLD",
    "MAX_NAME_LENGTH",
    "MAX_SPEAKERS",
    "POSSIBLE_CEILING",
    "POSSIBLE_THRESHOLD",
    "InvalidNameError",
    "MatchIndex",
    "MatchResult",
    "NameKnowledge",
    "NormalisedName",
    "RegistryName",
    "Verdict",
    "load_name_groups",
    "normalise_membership_number",
    "normalise_name",
    "parse_speaker_lines",
    "phonetic_key",
]
