"""parse_vorlage: sections with offsets and metadata, on small strings and the real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.vorlage import parse_vorlage

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV = SHARED / "eval" / "karlsruhe-dev"

SAXON = """Ratsversammlung
Beschlussvorlage-Nr. VII-DS-01234
Betreff:
Neubau eines Radwegs an der Beispielstraße

Beratungsfolge (Änderungen vorbehalten):
Ratsversammlung 17.05.2023 Beschlussfassung

Beschlussvorschlag
Die Ratsversammlung beschließt den Bau des Radwegs.

Räumlicher Bezug
Stadtbezirk Mitte

Finanzielle Auswirkungen
Gesamtkosten: 120.000 €
Fördermittel: 80.000 €
Haushaltsstelle: 7.5410.01

Klimawirkung
positiv

Sachverhalt
Der Radweg schließt eine Lücke im Netz.

Anlage/n
1 Lageplan
"""

KARLSRUHE = """BESCHLUSSVORLAGE
STADT KARLSRUHE
Gremium:
Gemeinderat
Termin:
Vorlage Nr.:
TOP:
Verantwortlich:
18.06.2013
1436
11
öffentlich
Dez. 6
Sanierung der Beispielschule

Antrag an den Gemeinderat / Ausschuss
Der Gemeinderat beschließt die Sanierung.
Finanzielle Auswirkungen                       nein          ja
Gesamtkosten der
Maßnahme
1.000.000,00 €  200.000,00 €  800.000,00 €
Kontierungsobjekt: PSP-Element:    7.882410   Kontenart: 78710000
Ergänzende Erläuterungen:
Ergänzende Erläuterungen  Seite 2
Die Schule wird saniert.
"""


def test_saxon_sections_and_offsets() -> None:
    vorlage = parse_vorlage(SAXON)
    kinds = [s.kind for s in vorlage.sections]
    assert kinds == [
        "betreff",
        "beratungsfolge",
        "beschlussvorschlag",
        "raum",
        "finanzen",
        "klimawirkung",
        "sachverhalt",
        "anlagen",
    ]
    for section in vorlage.sections:
        assert SAXON[section.start : section.end] == section.text
    assert vorlage.betreff == "Neubau eines Radwegs an der Beispielstraße"
    assert vorlage.nummer == "VII-DS-01234"
    assert vorlage.gremium == "Ratsversammlung"
    assert vorlage.finanzen.gesamtkosten == "120.000 €"
    assert vorlage.finanzen.foerdermittel == "80.000 €"
    assert vorlage.finanzen.haushaltsstelle == "7.5410.01"


def test_karlsruhe_subject_after_metadata_block() -> None:
    vorlage = parse_vorlage(KARLSRUHE)
    assert vorlage.betreff == "Sanierung der Beispielschule"
    assert vorlage.nummer == "1436"
    assert vorlage.datum == "18.06.2013"
    assert vorlage.gremium == "Gemeinderat"
    proposal = vorlage.section("beschlussvorschlag")
    assert proposal is not None and proposal.text.startswith("Der Gemeinderat beschließt")
    body = vorlage.section("sachverhalt")
    assert body is not None and body.text.endswith("Die Schule wird saniert.")
    assert vorlage.finanzen.gesamtkosten == "1.000.000,00 €"
    assert vorlage.finanzen.haushaltsstelle == "7.882410"


def test_noise_without_headings_gives_no_sections() -> None:
    vorlage = parse_vorlage("\f\x00 ### 12 \n\n  --  \n")
    assert vorlage.sections == ()
    assert vorlage.betreff is None and vorlage.nummer is None


def test_real_karlsruhe_files_get_betreff_and_body() -> None:
    if not DEV.exists():
        pytest.skip("../shared/eval/karlsruhe-dev fehlt (geteilte Daten nicht vorhanden)")
    files = sorted(DEV.glob("*.txt"))
    parsed = [parse_vorlage(path.read_text(encoding="utf-8")) for path in files]
    good = [v for v in parsed if v.betreff and v.body()]
    assert len(good) >= 0.9 * len(parsed)


def test_real_leipzig_files_get_saxon_sections() -> None:
    folder = SHARED / "data" / "leipzig"
    if not folder.exists():
        pytest.skip("../shared/data/leipzig fehlt (geteilte Daten nicht vorhanden)")
    for path in sorted(folder.glob("vorlage-*.txt")):
        vorlage = parse_vorlage(path.read_text(encoding="utf-8"))
        kinds = {s.kind for s in vorlage.sections}
        assert {"betreff", "beschlussvorschlag", "sachverhalt", "ziele"} <= kinds
        assert vorlage.nummer is not None and vorlage.nummer in path.name
