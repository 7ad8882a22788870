"""Generated docs stay in step with the code (`make docs` refreshes them)."""

from __future__ import annotations

from conftest import ROOT
from infraplan.spec.schema import schema_json, spec_reference


def test_spec_reference_is_current() -> None:
    assert (ROOT / "docs" / "spec.md").read_text(encoding="utf-8") == spec_reference(), (
        "docs/spec.md is stale: run `make docs`"
    )


def test_published_schema_is_current() -> None:
    assert (ROOT / "docs" / "plan.schema.json").read_text(encoding="utf-8") == schema_json(), (
        "docs/plan.schema.json is stale: run `make docs`"
    )
