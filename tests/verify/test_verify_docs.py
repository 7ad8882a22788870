"""docs/verify.md stays in step with the code: its rule table and its read-only policy."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infraplan.aws import iam_action
from infraplan.verify.rules import LIVE_RULE_IDS

if TYPE_CHECKING:
    from conftest import Stack

DOC = Path(__file__).resolve().parents[2] / "docs" / "verify.md"


def test_rule_table_lists_every_rule() -> None:
    text = DOC.read_text(encoding="utf-8")
    table = re.findall(r"^\| `(live_[a-z0-9_]+)` \|", text, flags=re.M)
    assert table == list(LIVE_RULE_IDS)


def documented_policy() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"## The read-only policy.*?```json\n(.*?)```", text, flags=re.S)
    assert block, "the policy block is missing"
    policy = json.loads(block.group(1))
    return set(policy["Statement"][0]["Action"])


def test_policy_allows_exactly_what_verify_calls(stack: Stack) -> None:
    calls: set[str] = set()
    session = stack.session()

    def record(model: Any, **_: Any) -> None:
        calls.add(f"{model.service_model.service_name}:{model.name}")

    session.events.register("before-call", record)
    stack.verify(session)
    # ECR scan rules are read only when a repository does not scan on push itself.
    stack.client("ecr").put_image_scanning_configuration(
        repositoryName=stack.names.ecr_repository,
        imageScanningConfiguration={"scanOnPush": False},
    )
    stack.verify(session)
    needed = {iam_action(call) for call in calls} - {"sts:GetCallerIdentity"}
    assert needed == documented_policy()
