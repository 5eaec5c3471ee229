"""OParl import against a local fixture server: quirks of real servers, incremental sync,
tombstones, changed papers with history, checks, the CLI."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlmodel import select

from integrations.oparl.client import (
    OParlClient,
    OParlError,
    _maybe_encoding_problem,
    clean,
    normalise_ags,
)
from service.cli import main
from service.jobs import send_now, take_pending_jobs
from service.models import CheckRun, Document, Municipality, OParlPaper, OParlSource, utcnow
from service.oparl.service import sync
from tests.factories import create_municipality
from tests.helpers import run_worker
from tests.integrations.oparl_server import OParlServer

T1, T2, T3 = "2026-10-01T10:00:00+02:00", "2026-10-05T10:00:00+02:00", "2026-11-20T09:00:00+01:00"


@pytest.fixture()
def oparl():
    server = OParlServer(page_size=2)
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def source(session, oparl):
    town = create_municipality(session, name="Oparlstadt")
    row = OParlSource(municipality_id=town.id, body_url=oparl.body_url)
    session.add(row)
    session.commit()
    return row


def fast() -> OParlClient:
    return OParlClient(backoff=0.01)


def run_sync(session, source, settings):
    """One sync as the job does it: commit, then send the jobs it enqueued."""
    report = asyncio.run(sync(session, source, settings, client=fast()))
    session.commit()
    asyncio.run(send_now(settings, take_pending_jobs(session)))
    return report


# --- quirks of real servers ---------------------------------------------------------------


def test_clean_turns_na_and_blanks_into_none_and_objects_into_lists():
    paper = clean({"name": "N/A", "reference": " ", "auxiliaryFile": {"id": "f1"}, "x": "ok"})
    assert paper == {"name": None, "reference": None, "auxiliaryFile": [{"id": "f1"}], "x": "ok"}


def test_seven_digit_ags_gets_its_leading_zero():
    assert normalise_ags("8212000") == "08212000"
    assert normalise_ags(14612000) == "14612000" and normalise_ags("12") is None


@pytest.mark.parametrize("quirk", ["empty-802", "empty-bare"])
def test_empty_modified_since_answers(oparl, quirk):
    oparl.add_paper(1, "Radweg Hauptstraße", modified=T1)
    oparl.quirks.add(quirk)
    papers = list(fast().items(f"{oparl.body_url}/papers", modified_since=T3))
    assert papers == []


def test_server_rejecting_encoded_query_is_asked_again_unencoded(oparl):
    oparl.add_paper(1, "Radweg", modified=T2)
    oparl.quirks.add("reject-encoded")
    papers = list(fast().items(f"{oparl.body_url}/papers", modified_since=T1))
    assert [p["reference"] for p in papers] == ["VO/1"]
    assert any("%3A" not in r and "modified_since=" in r for r in oparl.requests)


def test_a_port_reading_802_is_not_taken_for_the_empty_list_code():
    """The message carries the URL; a random port like 38021 once made this test flaky."""
    rejected = OParlError(
        "http://127.0.0.1:38021/papers?x: HTTP 400 bad", status=400, body='{"error": "bad"}'
    )
    empty = OParlError("http://h/papers: HTTP 404", status=404, body='{"code": 802}')
    assert _maybe_encoding_problem(rejected) and not rejected.empty_list
    assert empty.empty_list and not _maybe_encoding_problem(empty)


def test_control_characters_and_paging(oparl):
    for n in range(1, 6):
        oparl.add_paper(n, f"Betreff {n}", modified=T1)
    oparl.quirks.add("control-chars")
    papers = list(fast().items(f"{oparl.body_url}/papers"))
    assert len(papers) == 5 and "\x01" in papers[0]["name"]


def test_object_id_differing_from_url_is_kept_with_the_url(oparl):
    oparl.quirks.add("id-mismatch")
    body = fast().get(oparl.body_url)
    assert body["id"] == "https://elsewhere.example/oparl/body/1"
    assert body["_fetched_from"] == oparl.body_url


def test_5xx_is_retried_then_given_up(oparl):
    oparl.add_paper(1, "Radweg", modified=T1)
    oparl.failures["/oparl/bodies/0001/papers"] = 2
    assert len(list(fast().items(f"{oparl.body_url}/papers"))) == 1
    oparl.failures["/oparl/bodies/0001/papers"] = 10
    with pytest.raises(OParlError) as failed:
        list(OParlClient(retries=2, backoff=0.01).items(f"{oparl.body_url}/papers"))
    assert failed.value.temporary and "503" in failed.value.message


def test_checksum_mismatch_is_refused(oparl):
    oparl.add_paper(1, "Radweg", modified=T1)
    with pytest.raises(OParlError):
        fast().download(f"{oparl.base}/files/vorlage-1.pdf", sha1="0" * 40)


# --- sync -----------------------------------------------------------------------------------


def test_sync_imports_checks_skips_and_keeps_history(session, settings, oparl, source):
    oparl.add_paper(1, "Bau eines Radwegs an der Muldenstraße", modified=T1)
    oparl.add_paper(2, "Sanierung der Grundschule", modified=T1, auxiliaryFile={"id": "x"})
    oparl.add_paper(3, "Jahresabschluss", modified=T1, paperType="Mitteilung")
    report = run_sync(session, source, settings)
    assert report.imported == ["VO/1", "VO/2"]
    assert report.skipped == ["VO/3 (Mitteilung)"] and report.errors == []
    run_worker(settings)
    session.expire_all()
    documents = session.exec(select(Document)).all()
    assert {d.title for d in documents} == {
        "Bau eines Radwegs an der Muldenstraße",
        "Sanierung der Grundschule",
    }
    assert all(d.status == "verarbeitet" for d in documents)
    runs = session.exec(select(CheckRun)).all()
    assert len(runs) == 2  # checked like an upload (no INSEK yet: the run says so)

    again = run_sync(session, source, settings)  # nothing changed since
    assert again.imported == [] and again.changed == []

    later = (utcnow() + timedelta(minutes=1)).isoformat()  # after the last sync
    oparl.papers[0]["modified"] = later
    oparl.papers[1] = {"id": oparl.papers[1]["id"], "deleted": True, "modified": later}
    third = run_sync(session, source, settings)
    assert third.changed == ["VO/1"] and third.deleted == [oparl.papers[1]["id"]]
    paper = session.exec(select(OParlPaper).where(OParlPaper.reference == "VO/1")).one()
    assert len(paper.documents) == 2 and len(paper.history) == 2
    gone = session.exec(select(OParlPaper).where(OParlPaper.reference == "VO/2")).one()
    assert gone.deleted
    assert any("modified_since=" in r for r in oparl.requests)


def test_body_with_seven_digit_ags_matches_its_municipality(session, settings, oparl, source):
    town = session.get(Municipality, source.municipality_id)
    oparl.ags = "08212000"
    town.ags = "08212000"
    session.add(town)
    session.commit()
    oparl.quirks.add("ags7")  # the server sends 8212000
    report = run_sync(session, source, settings)
    assert not any("Body-AGS" in s for s in report.skipped)
    oparl.ags = "14612000"
    report = run_sync(session, source, settings)
    assert any("Body-AGS 14612000" in s for s in report.skipped)


def test_unreachable_body_is_recorded_not_raised(session, settings, source):
    source.body_url = "http://127.0.0.1:9/oparl/body"
    report = run_sync(session, source, settings)
    assert report.errors and "nicht erreichbar" in source.last_error


def test_meeting_of_the_authoritative_consultation(session, settings, oparl, source):
    oparl.meetings["/oparl/meetings/7"] = {
        "id": f"{oparl.base}/oparl/meetings/7",
        "start": "2026-12-03T17:00:00+01:00",
    }
    oparl.add_paper(
        1,
        "Radweg",
        modified=T1,
        consultation=[
            {"meeting": f"{oparl.base}/oparl/meetings/404", "authoritative": False},
            {"meeting": f"{oparl.base}/oparl/meetings/7", "authoritative": True},
        ],
    )
    run_sync(session, source, settings)
    paper = session.exec(select(OParlPaper)).one()
    assert paper.meeting_start.isoformat().startswith("2026-12-03T16:00")


def test_cli_sync_prints_what_it_did(cli_env, session, oparl):
    town = create_municipality(session, name="Clistadt")
    oparl.add_paper(1, "Radweg", modified=T1)
    result = CliRunner().invoke(
        main, ["oparl", "sync", "--municipality", town.ags, "--body-url", oparl.body_url]
    )
    assert result.exit_code == 0, result.output
    assert "1 neu, 0 geändert" in result.output and "neu: VO/1" in result.output
    again = CliRunner().invoke(main, ["oparl", "sync", "--municipality", town.ags])
    assert "0 neu" in again.output
    unknown = CliRunner().invoke(main, ["oparl", "sync", "--municipality", "14999999"])
    assert unknown.exit_code != 0 and "Keine Kommune" in unknown.output


def test_real_karlsruhe_papers(session, settings, oparl, source, shared_dir):
    loaded = oparl.load_karlsruhe(shared_dir, limit=6)
    report = run_sync(session, source, settings)
    assert len(report.imported) + len(report.skipped) == loaded
    assert report.errors == []
    papers = session.exec(select(OParlPaper)).all()
    assert all(p.paper_type == "Beschlussvorlage" for p in papers)
    assert json.dumps([p.reference for p in papers])


def test_finding_of_an_imported_vorlage_is_due_before_its_meeting(session, oparl, source):
    from datetime import date, datetime

    from service.questions.asking import meeting_of

    paper = OParlPaper(
        municipality_id=source.municipality_id,
        oparl_id="p1",
        documents=[41, 42],
        meeting_start=datetime.fromisoformat("2026-12-03T17:00:00+01:00"),
    )
    session.add(paper)
    session.commit()
    run = CheckRun(municipality_id=source.municipality_id, document_id=42)
    assert meeting_of(session, run) == date(2026, 12, 3)
    assert (
        meeting_of(session, CheckRun(municipality_id=source.municipality_id, document_id=7)) is None
    )


def test_spec_example_paper_with_checksums(session, settings, oparl, source, shared_dir):
    spec = oparl.load_spec_paper(shared_dir)
    source.paper_types = [spec["paperType"]]
    session.add(source)
    session.commit()
    report = run_sync(session, source, settings)
    assert report.imported == [spec["reference"]] and report.errors == []
    paper = session.exec(select(OParlPaper)).one()
    assert paper.file_sha1 == spec["mainFile"]["sha1Checksum"]
    assert paper.name == spec["name"]
