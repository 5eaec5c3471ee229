"""Quality floors of the INSEK extraction on the real documents (gold: tests/fixtures/gold/).

The floors are what the extractor reached when the gold was written (see docs/evaluation.md),
a little below so that noise in PDF reading does not fail the suite; a regression does.
"""

from __future__ import annotations

import pytest

pytest.importorskip("wordfreq", reason="wordfreq fehlt (Abhängigkeit von nlp.text)")

from nlp.eval._documents import available
from nlp.eval.insek import Result, evaluate

# document: (Handlungsfelder to find, {kind: (min precision, min recall)})
FLOORS = {
    "karlsruhe-isek-2020": (12, {"goal": (0.9, 0.9), "measure": (0.9, 0.9)}),
    "ulm-smart-city-strategie": (13, {"goal": (0.9, 0.9), "measure": (0.95, 0.95)}),
    "magdeburg-kulturstrategie-2030": (0, {"goal": (0.9, 0.9), "measure": (0.9, 0.9)}),
}


def _result(name: str) -> Result:
    if not available(name):
        pytest.skip(f"../shared fehlt: {name} nicht vorhanden")
    return evaluate(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_extraction_reaches_its_floor(name: str) -> None:
    result = _result(name)
    fields, kinds = FLOORS[name]
    assert result.hash_mismatches == 0, "Gold passt nicht mehr zum Dokument"
    assert result.fields_found == fields == result.fields_gold
    for kind, (precision, recall) in kinds.items():
        score = result.scores[kind]
        assert score.recall >= recall, f"{kind}: Recall {score.recall:.2f}"
        assert score.precision >= precision, f"{kind}: Precision {score.precision:.2f}"
        assert score.predicted <= 1.3 * score.gold


@pytest.mark.slow
def test_magdeburg_time_horizons() -> None:
    result = _result("magdeburg-kulturstrategie-2030")
    assert result.horizon_total >= 40
    assert result.horizon_correct >= 0.95 * result.horizon_total
