"""The `repo` piece: the generated repository's README and .gitignore."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from markdown_it import MarkdownIt

from conftest import ROOT
from infraplan.scaffold.context import template_context
from infraplan.scaffold.render import render_piece
from infraplan.spec.load import parse_spec

BASE = "project: shop\nci: {repository: acme/shop}\n"


def _files(text: str) -> dict[str, str]:
    spec = parse_spec(text)
    return {f.path: f.content.decode() for f in render_piece("repo", template_context(spec))}


def test_readme_walks_through_the_first_deployment() -> None:
    readme = _files(BASE + "aws: {region: us-east-1}\n")["README.md"]
    # the bootstrap root creates the bucket (Terraform sets the location constraint
    # right in us-east-1); its name is unique: account id and region
    assert "LocationConstraint" not in readme
    assert "terraform -chdir=infra/bootstrap apply" in readme
    assert readme.index("infra/bootstrap apply") < readme.index("infra/envs/staging init")
    assert 'init -backend-config="bucket=shop-state-ACCOUNT_ID-us-east-1"' in readme
    assert readme.index("infra/envs/staging init") < readme.index("infra/envs/production init")
    assert "no task" in readme  # no crash loop before the first image
    assert "`production` (with required reviewers" in readme
    assert "Actions variable `AWS_ACCOUNT_ID`" in readme  # no account id in the spec


def test_readme_skips_what_the_spec_already_says() -> None:
    readme = _files(BASE + 'aws: {account_id: "123456789012"}\n')["README.md"]
    assert "AWS_ACCOUNT_ID" not in readme and "ACCOUNT_ID" not in readme
    assert "shop-state-123456789012-eu-west-1" in readme


def test_adversarial_title_stays_a_heading() -> None:
    files = _files(BASE + 'title: "# x | *y* <b>z</b>\\nsecond line"\n')
    tokens = MarkdownIt("commonmark").enable("table").parse(files["README.md"])
    headings = [t for t in tokens if t.type == "heading_open"]
    assert headings[0].tag == "h1" and tokens[1].content.startswith("\\# x \\| \\*y\\*")
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]


def test_gitignore_keeps_state_and_credentials_out_per_runtime() -> None:
    python = _files(BASE)[".gitignore"].splitlines()
    node = _files(BASE + "service: {runtime: node}\n")[".gitignore"].splitlines()
    for ignored in (".terraform/", "*.tfstate", ".env", "*.pem"):
        assert ignored in python and ignored in node
    assert "__pycache__/" in python and "node_modules/" not in python
    assert "node_modules/" in node


def test_plain_cookiecutter_renders_the_same(tmp_path: Path) -> None:
    template = ROOT / "cookiecutters" / "repo"
    defaults = json.loads((template / "cookiecutter.json").read_text())
    subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--no-input", "-o", str(tmp_path), str(template)],
        check=True,
        capture_output=True,
    )
    ours = {f.path: f.content for f in render_piece("repo", {})}
    out = tmp_path / defaults["project"]
    theirs = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert theirs == ours


def test_readme_says_what_application_the_dockerfile_expects() -> None:
    python = _files(BASE)["README.md"]
    assert "`requirements.txt` and a package `app`" in python and "port 8080" in python
    node = _files(BASE + "service: {runtime: node, port: 3000, health_check_path: /up}\n")
    assert "`server.js`" in node["README.md"] and "port 3000" in node["README.md"]
    assert "`/up` with 200" in node["README.md"]


def test_readme_asks_for_the_slack_workspace_before_the_first_apply() -> None:
    """Terraform cannot authorize a Slack workspace: the channel configuration fails on the
    first apply unless a person allowed it in the console first."""
    slack = _files(BASE + "monitoring: {slack: {team_id: T0123ABC, channel_id: C0456DEF}}\n")
    readme = slack["README.md"]
    assert "allow the workspace `T0123ABC`" in readme and "`C0456DEF`" in readme
    assert readme.index("Slack, before step 3") < readme.index("3. **Each environment")
    assert "Slack, before step 3" not in _files(BASE)["README.md"]
