"""Schemathesis against /api/v1/openapi.json: with a token no operation answers 5xx and every
answer (status, content type, body) is one the document describes; without a valid token every
described operation answers 401/403.

Cases are generated per operation with a fixed seed and a small budget, so CI sends the same
requests on every run (INGE_TEST_API_EXAMPLES raises the budget for a deeper search by hand).
Half of them name the rows seeded here, so the handlers get past 404.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import select

from service.app import create_app
from service.models import CheckRun, Role
from tests.factories import create_municipality, create_token, create_user
from tests.fixtures import vorlage_sample as v
from tests.helpers import adopt_sample_insek, bearer, run_worker, upload

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("INGE_TEST_API_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Described operations that need no token (security: [] or an empty requirement). None: the
# document itself (/openapi.json) is served beside the paths it describes, and /health is no API.
PUBLIC_OPERATIONS: set[str] = set()


@dataclass
class World:
    """Tokens per role and the ids of seeded rows, by the name of the parameter or body field."""

    tokens: dict[str, str]
    path_ids: dict[str, Any]
    body_ids: dict[str, Any]


@pytest.fixture()
def world(client, settings, session) -> World:
    """A town with an adopted INSEK, a checked Vorlage, a question and a text module."""
    town = create_municipality(session, name="Musterstadt")
    admin = create_user(session, role=Role.MUNICIPAL_ADMIN, municipality=town)
    clerk = create_user(session, role=Role.CLERK, municipality=town)
    tokens = {
        "clerk": create_token(session, clerk),
        "advisor": create_token(session, create_user(session, role=Role.ADVISOR)),
    }
    insek = adopt_sample_insek(client, settings, create_token(session, admin))
    vorlage = upload(client, tokens["clerk"], "radweg.txt", v.RADWEG, "beschlussvorlage")
    run_worker(settings)
    run_id = session.exec(select(CheckRun.id)).one()
    question = client.post(
        "/api/v1/questions",
        headers=bearer(tokens["clerk"]),
        json={"text": "Welche Förderung gibt es für Radwege im Sanierungsgebiet?"},
    )
    assert question.status_code == 201, question.text
    module = client.post(
        "/api/v1/questions/text-modules",
        headers=bearer(tokens["advisor"]),
        json={"title": "Gruß", "body": "Mit freundlichen Grüßen, Ihre FS INGE"},
    )
    assert module.status_code == 201, module.text
    path_ids = {
        "document_id": insek,
        "run_id": run_id,
        "check_id": "INSEK-04",
        "question_id": question.json()["id"],
        "module_id": module.json()["id"],
    }
    return World(tokens, path_ids, body_ids={"document_id": vorlage, "check_run_id": run_id})


@pytest.fixture()
def api_schema(settings, world) -> Iterator[Any]:
    # An app of its own: Schemathesis runs the lifespan on its own event loop thread and keeps it
    # until shutdown_lifespans(), so it must not share app.state with the seeding TestClient.
    app = create_app(settings)
    try:
        yield schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    finally:
        asgi.shutdown_lifespans()


def aimed(case: Any, body_ids: dict[str, Any]) -> Any:
    """The case with the id fields its JSON body has pointed at seeded rows."""
    if isinstance(case.body, dict) and body_ids.keys() & case.body.keys():
        case.body = {**case.body, **{k: v for k, v in body_ids.items() if k in case.body}}
    return case


def cases(operation: Any, world: World, mode: GenerationMode) -> st.SearchStrategy:
    """Generated cases; half of them name the seeded rows in the path (and in a valid body)."""
    params = {p.name for p in operation.path_parameters}
    known = operation.as_strategy(
        mode, path_parameters={k: v for k, v in world.path_ids.items() if k in params}
    )
    if mode is GenerationMode.POSITIVE:
        known = known.map(lambda case: aimed(case, world.body_ids))
    return st.one_of(known, operation.as_strategy(mode))


def for_every_operation(
    schema: Any,
    world: World,
    test: Callable[[Any], None],
    *,
    mode: GenerationMode = GenerationMode.POSITIVE,
    max_examples: int = EXAMPLES,
) -> None:
    """Run ``test`` on each operation's cases; report every operation that failed, not one."""
    failed = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=max_examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        @given(case=cases(operation, world, mode))
        def run(case: Any) -> None:
            test(case)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # Schemathesis' FailureGroup is the latter
            failed.append(f"{operation.label}:\n{exc}")
    assert not failed, "\n\n".join(failed)


@pytest.mark.parametrize("role", ["clerk", "advisor"])
def test_every_operation_answers_as_described(api_schema, world, role):
    headers = bearer(world.tokens[role])
    for_every_operation(
        api_schema, world, lambda case: case.call_and_validate(headers=headers, checks=CHECKS)
    )


def test_invalid_input_is_refused_as_described(api_schema, world):
    headers = bearer(world.tokens["clerk"])
    for_every_operation(
        api_schema,
        world,
        lambda case: case.call_and_validate(headers=headers, checks=CHECKS),
        mode=GenerationMode.NEGATIVE,
    )


def is_public(requirements: list[dict[str, list[str]]]) -> bool:
    """No requirement at all, or an empty one among the alternatives, means no token is needed."""
    return not requirements or any(not requirement for requirement in requirements)


def refuses_strangers(case: Any) -> None:
    if case.operation.label in PUBLIC_OPERATIONS:
        return
    for headers in ({}, bearer("inge_kein-gueltiges-token")):
        response = case.call(headers=headers)
        assert response.status_code in (401, 403), (
            f"{case.operation.label} mit {headers or 'ohne Token'}: "
            f"{response.status_code} {response.text[:200]}"
        )


def test_no_operation_answers_without_a_valid_token(api_schema, world):
    default = api_schema.raw_schema.get("security", [])
    public = {
        result.ok().label
        for result in api_schema.get_all_operations()
        if is_public(result.ok().definition.raw.get("security", default))
    }
    assert public == PUBLIC_OPERATIONS
    for_every_operation(api_schema, world, refuses_strangers, max_examples=3)


def test_the_document_itself_needs_no_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json()["paths"]
