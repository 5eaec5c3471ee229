"""Match a Beschlussvorlage to the Handlungsfelder and goals of an INSEK.

`build_baseline(goalset)` (plain TF-IDF) and `build_matcher(goalset, background=texts)`
(lemmas, compound parts, topics, section weights, boilerplate removal) give a `Matcher`;
`matcher.match(vorlage)` returns a `MatchResult` with every field ranked, a relevance score,
and for each field the best Vorlage sentence and INSEK passage with offsets.
"""

from nlp.match._matcher import BASELINE, MatchConfig, Matcher, build_baseline, build_matcher
from nlp.match._model import Evidence, FieldMatch, GoalMatch, MatchResult, Passage
from nlp.match._precedents import Precedent, Vote

__all__ = [
    "BASELINE",
    "Evidence",
    "FieldMatch",
    "GoalMatch",
    "MatchConfig",
    "MatchResult",
    "Matcher",
    "Passage",
    "Precedent",
    "Vote",
    "build_baseline",
    "build_matcher",
]
