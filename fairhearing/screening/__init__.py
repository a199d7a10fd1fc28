"""Evidence screening: suggests which clauses a text may fall under, and how it is framed.

Pure Python, no Django. Public API::

    from fairhearing.screening import screen, screen_many, ScreeningResult

See docs/screening.md for the data, the method, the measured figures and the limits.
"""

from fairhearing.screening.engine import screen, screen_many
from fairhearing.screening.result import ScreeningResult, Suggestion

__all__ = ["ScreeningResult", "Suggestion", "screen", "screen_many"]
