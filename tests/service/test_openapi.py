"""The OpenAPI document describes exactly the routes under /api/v1."""

from __future__ import annotations

import re

from tests.service.test_tenancy import all_routes


def test_openapi_matches_the_routes(app, client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    described = {(m.upper(), "/api/v1" + p) for p, ops in spec["paths"].items() for m in ops}
    routed = {
        (m, re.sub(r"\{(\w+):\w+\}", r"{\1}", p))
        for m, p in all_routes(app.routes)
        if p.startswith("/api/v1") and p != "/api/v1/openapi.json"
    }
    assert described == routed
    for ops in spec["paths"].values():
        for op in ops.values():
            for response in op["responses"].values():
                for content in response.get("content", {}).values():
                    ref = content["schema"].get("$ref")
                    if ref:
                        assert ref.split("/")[-1] in spec["components"]["schemas"]
