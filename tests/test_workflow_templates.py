"""The GitHub Actions workflows of ``infraplan new``: rendered for many specs,
checked with actionlint and shellcheck, parsed, and searched for injected
GitHub expressions."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infraplan.scaffold.context import template_context
from infraplan.scaffold.render import piece_defaults
from tools import linters
from tools.linters import Finding, actionlint
from tools.rendering import (
    ADVERSARIAL_TITLE,
    defaults_mismatch,
    load,
    load_workflow,
    render,
    run_plain_cookiecutter,
    unlisted_keys,
    write,
)

PIECE = "github-actions"
WORKFLOWS = ("ci.yml", "deploy.yml", "terraform.yml", "rollback.yml")

TWO_ENVS = [{"name": "staging"}, {"name": "production", "approval": True}]
CASES: dict[str, dict[str, Any]] = {
    "defaults": {},
    "node-preview-account": {
        "service": {"runtime": "node"},
        "ci": {"preview_environments": True},
        "aws": {"account_id": "123456789012"},
        "requirements": {"deploy_minutes": 25},
        "title": ADVERSARIAL_TITLE,
    },
    "go-one-env-approval": {
        "service": {"runtime": "go"},
        "environments": [{"name": "prod", "approval": True}],
        "requirements": {"deploy_minutes": 3},
    },
    "java-preview-no-approval": {
        "service": {"runtime": "java"},
        "ci": {"preview_environments": True, "branch": "release/v1"},
        "environments": [{"name": "dev"}, {"name": "live"}],
        "aws": {"account_id": "000000000042"},
    },
    "generic-three-envs-adversarial": {
        "service": {"runtime": "generic", "health_check_path": "/status/ready"},
        "environments": [{"name": "dev"}, *TWO_ENVS],
        "requirements": {"deploy_minutes": 360, "auto_rollback": False},
        "title": ADVERSARIAL_TITLE,
    },
    "blue-green-two-envs": {
        "deploy": {"strategy": "blue_green", "bake_minutes": 10},
        "requirements": {"deploy_minutes": 12},
    },
    "python-preview-one-env-adversarial": {
        "ci": {"preview_environments": True},
        "environments": [{"name": "staging"}],
        "title": ADVERSARIAL_TITLE,
    },
    "https-by-name-three-envs": {
        "service": {"domain": "shop.example.com", "hosted_zone": "Z0123456789ABCDEFGHIJ"},
        "environments": [{"name": "dev", "domain": "dev.example.com"}, *TWO_ENVS],
    },
}


def _context(case: str) -> dict[str, Any]:
    return template_context(load(**CASES[case]))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Every case rendered to disk: case -> workflow file name -> path."""
    out: dict[str, dict[str, Path]] = {}
    for case, overrides in CASES.items():
        root = tmp_path_factory.mktemp(case)
        paths = write(render(PIECE, **overrides), root)
        out[case] = {p.name: p for p in paths if p.parent.name == "workflows"}
    return out


@pytest.fixture(scope="module")
def actionlint_findings(rendered: dict[str, dict[str, Path]]) -> list[Finding]:
    """actionlint run once over every rendered workflow."""
    return actionlint([p for files in rendered.values() for p in files.values()])


def _workflows(rendered: dict[str, dict[str, Path]], case: str) -> dict[str, dict[str, Any]]:
    return {name: load_workflow(p.read_text("utf-8")) for name, p in rendered[case].items()}


# --- real tools -------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_actionlint_and_shellcheck_report_nothing(
    case: str, rendered: dict[str, dict[str, Path]], actionlint_findings: list[Finding]
) -> None:
    every = {str(p.resolve()) for files in rendered.values() for p in files.values()}
    assert {f.file for f in actionlint_findings} <= every  # each finding is some case's
    mine = {str(p.resolve()) for p in rendered[case].values()}
    findings = [str(f) for f in actionlint_findings if f.file in mine]
    assert findings == []


def test_actionlint_and_shellcheck_fail_on_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  deploy:\n"
        "    needs: missing-job\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: echo ${{ github.event.head_commit.message }} $undefined_var\n"
        "      - run: cd $HOME/dir\n",
        encoding="utf-8",
    )
    messages = " ".join(f.message for f in actionlint([broken]))
    assert "does not exist" in messages  # needs: an unknown job
    assert "potentially untrusted" in messages  # script injection
    assert "SC2086" in messages and "[shellcheck]" in messages  # unquoted variable


def test_a_missing_tool_fails_naming_the_setup_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(linters, "_VENV_BIN", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("INFRAPLAN_ACTIONLINT", raising=False)
    monkeypatch.delenv(linters.SKIP_ENV, raising=False)
    with pytest.raises(pytest.fail.Exception, match=re.escape(linters.SETUP_SCRIPT)):
        actionlint([tmp_path / "ci.yml"])
    monkeypatch.setenv(linters.SKIP_ENV, "1")
    with pytest.raises(pytest.skip.Exception, match=linters.SKIP_ENV):
        actionlint([tmp_path / "ci.yml"])


# --- structure --------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_workflows_parse_and_on_is_a_key(case: str, rendered: dict[str, dict[str, Path]]) -> None:
    context = _context(case)
    assert context["_environments"]
    assert set(rendered[case]) == set(WORKFLOWS)  # previews are not generated
    for name, workflow in _workflows(rendered, case).items():
        assert "on" in workflow, name
        assert True not in workflow, name
        assert workflow["jobs"], name


@pytest.mark.parametrize("case", CASES)
def test_deploy_jobs_follow_the_plan(case: str, rendered: dict[str, dict[str, Path]]) -> None:
    context = _context(case)
    deploy = _workflows(rendered, case)["deploy.yml"]
    assert deploy["on"]["push"]["branches"] == [context["branch"]]
    # no OIDC token for the test and build jobs: only the jobs that assume a role get one
    assert deploy["permissions"] == {"contents": "read"}
    assert "concurrency" not in deploy  # per environment, on each deploy job
    for job_id in ("changes", "test", "build"):
        assert "permissions" not in deploy["jobs"][job_id]

    envs = context["_environments"]
    jobs = deploy["jobs"]
    assert [j for j in jobs if j.startswith("deploy-")] == [f"deploy-{e['name']}" for e in envs]
    previous = "build"
    for env in envs:
        job = jobs[f"deploy-{env['name']}"]
        # R2, and with blue/green the bake time after it
        assert job["timeout-minutes"] == context["deploy_job_minutes"]
        assert job["needs"] == previous
        assert job["environment"]["name"] == env["name"]
        # the first also reads when its run was created: R2's clock
        reads_runs = {"actions": "read"} if env is envs[0] else {}
        assert job["permissions"] == {"contents": "read", "id-token": "write", **reads_runs}
        assert job["concurrency"]["cancel-in-progress"] is False
        previous = f"deploy-{env['name']}"

        steps = {s.get("uses", "").split("@")[0]: s for s in job["steps"]}
        role = steps["aws-actions/configure-aws-credentials"]["with"]["role-to-assume"]
        account = context["aws_account_id"] or "${{ vars.AWS_ACCOUNT_ID }}"
        assert role == f"arn:aws:iam::{account}:role/{env['deploy_role']}"
        render_step = steps["aws-actions/amazon-ecs-render-task-definition"]["with"]
        assert render_step["container-name"] == env["container"]
        ecs = steps["aws-actions/amazon-ecs-deploy-task-definition"]["with"]
        assert (ecs["cluster"], ecs["service"]) == (env["cluster"], env["service"])
        # blue/green: the job follows the service deployment itself (test_blue_green_deploy)
        assert ecs["wait-for-service-stability"] is (context["deploy_strategy"] == "rolling")
        assert job["env"]["ECR_REPOSITORY"] == env["ecr_repository"]
        assert job["env"]["TASK_FAMILY"] == env["task_family"]
        assert job["env"]["LOAD_BALANCER"] == env["load_balancer"]
        scripts = "\n".join(s.get("run", "") for s in job["steps"])
        assert '"imageTag=${GITHUB_SHA}"' in scripts  # tagged by commit SHA
        assert "describe-task-definition" in scripts
        # A deploy rolled back by the circuit breaker must not pass as a success.
        check = next(s for s in job["steps"] if "EXPECTED" in s.get("env", {}))
        assert check["env"]["EXPECTED"] == "${{ steps.deploy.outputs.task-definition-arn }}"
        smoke = next(s for s in job["steps"] if s.get("id") == "smoke")
        assert smoke["env"]["HEALTH_PATH"] == context["health_check_path"]


# A job held for a reviewer fails after 30 days without approval:
# https://docs.github.com/actions/managing-workflow-runs/reviewing-deployments
APPROVAL_MAX_DAYS = 30


@pytest.mark.parametrize("case", CASES)
def test_a_deploy_after_a_late_approval_still_finds_the_image(
    case: str, rendered: dict[str, dict[str, Path]]
) -> None:
    jobs = _workflows(rendered, case)["deploy.yml"]["jobs"]
    [upload] = [s for s in jobs["build"]["steps"] if "upload-artifact" in s.get("uses", "")]
    assert int(upload["with"]["retention-days"]) >= APPROVAL_MAX_DAYS
    for env in _context(case)["_environments"]:
        steps = jobs[f"deploy-{env['name']}"]["steps"]
        names = [s.get("uses", s.get("name", "")) for s in steps]
        look = next(i for i, n in enumerate(names) if n == "Look for the image in ECR")
        [download] = [i for i, n in enumerate(names) if "download-artifact" in n]
        # The registry is asked first; the artifact is needed only for a new image.
        assert look < download
        assert steps[download]["if"] == "steps.image.outputs.present != 'true'"
        assert "imageTag=${GITHUB_SHA}" in steps[look]["run"]


def _test_step_script(case: str, rendered: dict[str, dict[str, Path]]) -> str:
    steps = _workflows(rendered, case)["deploy.yml"]["jobs"]["test"]["steps"]
    [step] = [s for s in steps if s.get("name") == "Test"]
    script: str = step["run"]
    return script


@pytest.mark.parametrize(("pytest_exit", "job_exit"), [(0, 0), (5, 0), (1, 1), (2, 2)])
def test_python_test_step_passes_when_no_tests_are_collected(
    pytest_exit: int, job_exit: int, rendered: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    script = _test_step_script("defaults", rendered)
    fake = tmp_path / "bin" / "python"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\nexit {pytest_exit}\n", encoding="utf-8")
    fake.chmod(0o755)
    env = {"PATH": f"{fake.parent}:/usr/bin:/bin"}
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == job_exit, done.stdout + done.stderr
    assert ("::notice::pytest collected no tests" in done.stdout) is (pytest_exit == 5)


# --- the smoke test, run ----------------------------------------------------------------

# A stand-in for curl that answers as the load balancer would: $ANSWER_HTTPS for
# https:// URLs, $ANSWER_HTTP for http:// ones ("code" or "code redirect-url"), printed
# the way --write-out asks for it; every URL it was asked for goes to $CALLS.
FAKE_CURL = r"""#!/bin/bash
url="${@: -1}"
echo "$url" >> "$CALLS"
case "$url" in
  https://*) answer="$ANSWER_HTTPS" ;;
  *) answer="$ANSWER_HTTP" ;;
esac
code="${answer%% *}"
redirect=""
[ "$code" != "$answer" ] && redirect="${answer#* }"
for arg in "$@"; do
  case "$arg" in
    *redirect_url*) printf '%s %s' "$code" "$redirect"; exit 0 ;;
  esac
done
printf '%s' "$code"
"""


def _smoke(case: str, rendered: dict[str, dict[str, Path]], job: str) -> dict[str, Any]:
    steps = _workflows(rendered, case)["deploy.yml"]["jobs"][job]["steps"]
    [step] = [s for s in steps if s.get("id") == "smoke"]
    return step


def _run_smoke(
    step: dict[str, Any], tmp_path: Path, https: str, http: str, service_url: str = ""
) -> tuple[int, str, list[str]]:
    """Run the smoke step's script as the runner would, GitHub's expressions evaluated:
    vars.SERVICE_URL is ``service_url`` (unset when empty)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    (bin_dir / "curl").write_text(FAKE_CURL, encoding="utf-8")
    (bin_dir / "sleep").write_text("#!/bin/sh\n", encoding="utf-8")
    for tool in ("curl", "sleep"):
        (bin_dir / tool).chmod(0o755)
    env = {k: str(v) for k, v in step["env"].items()}
    default = re.fullmatch(r"\$\{\{ vars\.SERVICE_URL \|\| '([^']*)' \}\}", env["SERVICE_URL"])
    env["SERVICE_URL"] = service_url or (default.group(1) if default else "")
    calls, output = tmp_path / "calls", tmp_path / "output"
    for f in (calls, output):
        f.write_text("", encoding="utf-8")
    env |= {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "CALLS": str(calls),
        "GITHUB_OUTPUT": str(output),
        "ANSWER_HTTPS": https,
        "ANSWER_HTTP": http,
    }
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", step["run"]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout + output.read_text("utf-8"), calls.read_text().split()


REDIRECT = "301 https://shop.example.com:443/healthz"


@pytest.mark.parametrize(
    ("https", "http", "passes"),
    [
        ("200", REDIRECT, True),
        ("200", "301 https://shop.example.com/healthz", True),
        ("204", REDIRECT, True),
        # what users get over HTTPS is a redirect or an error: never followed, never healthy
        ("301 https://elsewhere.example.com/", REDIRECT, False),
        ("503", REDIRECT, False),
        ("000", REDIRECT, False),
        # plain HTTP serves the page instead of redirecting, or redirects elsewhere
        ("200", "200", False),
        ("200", "302 https://shop.example.com/healthz", False),
        ("200", "301 http://shop.example.com/healthz", False),
        ("200", "301 https://evil.example.com/healthz", False),
    ],
)
def test_the_smoke_test_asks_the_https_name_and_its_redirect(
    https: str, http: str, passes: bool, rendered: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    step = _smoke("https-by-name-three-envs", rendered, "deploy-production")
    code, output, calls = _run_smoke(step, tmp_path, https, http)
    assert (code == 0) is passes, output
    assert calls[0] == "https://shop.example.com/healthz"
    assert "url=https://shop.example.com" in output
    if passes:
        assert calls[-1] == "http://shop.example.com/healthz"


def test_each_environment_is_smoke_tested_at_its_own_name(
    rendered: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    names = {"deploy-dev": "dev.example.com", "deploy-staging": "staging.shop.example.com"}
    for job, name in names.items():
        step = _smoke("https-by-name-three-envs", rendered, job)
        redirect = f"301 https://{name}/healthz"
        code, output, calls = _run_smoke(step, tmp_path / job, "200", redirect)
        assert code == 0, output
        assert calls == [f"https://{name}/healthz", f"http://{name}/healthz"]
    # the Actions variable still wins (e.g. a CDN in front of the load balancer)
    step = _smoke("https-by-name-three-envs", rendered, "deploy-dev")
    code, output, calls = _run_smoke(
        step, tmp_path / "cdn", "200", "301 https://dev.example.com/healthz", "https://cdn.example"
    )
    assert code == 0 and calls[0] == "https://cdn.example/healthz", output


def test_without_a_domain_the_smoke_test_never_counts_a_redirect(
    rendered: dict[str, dict[str, Path]], tmp_path: Path
) -> None:
    step = _smoke("defaults", rendered, "deploy-production")
    assert "DOMAIN" not in step["env"]
    url = "https://shop.example.com"
    code, output, calls = _run_smoke(step, tmp_path / "ok", "200", "", url)
    assert code == 0 and calls == [f"{url}/healthz"], output
    code, output, _ = _run_smoke(step, tmp_path / "redirect", REDIRECT, "", url)
    assert code == 1 and "a redirect" in output


NPM_INIT_TEST = 'echo "Error: no test specified" && exit 1'  # what `npm init -y` writes


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs npm")
@pytest.mark.parametrize("workflow", ["deploy.yml", "ci.yml"])
@pytest.mark.parametrize(
    ("scripts", "job_exit", "notice"),
    [
        (None, 0, True),  # a package.json with no test script
        ({"test": NPM_INIT_TEST}, 0, True),  # npm init's placeholder
        ({"test": "exit 0"}, 0, False),
        ({"test": "exit 3"}, 3, False),  # a real test that fails still fails the job
        ({"lint": "exit 0"}, 0, True),
    ],
)
def test_node_test_step_passes_a_new_repository_and_fails_a_failing_test(
    workflow: str,
    scripts: dict[str, str] | None,
    job_exit: int,
    notice: bool,
    rendered: dict[str, dict[str, Path]],
    tmp_path: Path,
) -> None:
    steps = _workflows(rendered, "node-preview-account")[workflow]["jobs"]["test"]["steps"]
    [step] = [s for s in steps if s.get("name") == "Test"]
    package = {"name": "app", "version": "1.0.0", **({"scripts": scripts} if scripts else {})}
    (tmp_path / "package.json").write_text(json.dumps(package), encoding="utf-8")
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == job_exit, done.stdout + done.stderr
    assert ("::notice::package.json has no test script yet" in done.stdout) is notice


@pytest.mark.parametrize("case", CASES)
def test_approval_is_documented_per_environment(
    case: str, rendered: dict[str, dict[str, Path]]
) -> None:
    text = rendered[case]["deploy.yml"].read_text("utf-8")
    for env in _context(case)["_environments"]:
        note = f'The plan asks for an approval before deploying to "{env["name"]}"'
        assert (note in text) is env["approval"]


@pytest.mark.parametrize("case", CASES)
def test_rollback_offers_each_environment(case: str, rendered: dict[str, dict[str, Path]]) -> None:
    context = _context(case)
    rollback = _workflows(rendered, case)["rollback.yml"]
    inputs = rollback["on"]["workflow_dispatch"]["inputs"]
    names = [e["name"] for e in context["_environments"]]
    assert inputs["environment"]["options"] == names
    assert inputs["revision"]["required"] is True
    for env in context["_environments"]:
        job = rollback["jobs"][f"rollback-{env['name']}"]
        assert job["if"] == f"inputs.environment == '{env['name']}'"
        assert job["timeout-minutes"] == context["deploy_job_minutes"]  # R2 (+ bake)
        assert job["env"]["ECS_CLUSTER"] == env["cluster"]
        assert any("services-stable" in s.get("run", "") for s in job["steps"])


@pytest.mark.parametrize("case", CASES)
def test_terraform_plans_each_root_and_applies_in_order(
    case: str, rendered: dict[str, dict[str, Path]]
) -> None:
    context = _context(case)
    terraform = _workflows(rendered, case)["terraform.yml"]
    names = [e["name"] for e in context["_environments"]]
    assert terraform["jobs"]["plan"]["strategy"]["matrix"]["root"] == names
    roots = ["bootstrap", *(f"envs/{n}" for n in names)]
    assert terraform["jobs"]["check"]["strategy"]["matrix"]["root"] == roots
    assert terraform["permissions"] == {"contents": "read"}
    plan_steps = terraform["jobs"]["plan"]["steps"]
    plan_role = next(s for s in plan_steps if "role-to-assume" in s.get("with", {}))
    plan_role = plan_role["with"]["role-to-assume"]
    assert plan_role.endswith(f":role/{context['terraform_plan_role']}")
    applies = [j for j in terraform["jobs"] if j.startswith("apply-")]
    assert applies == [f"apply-{n}" for n in names]
    for name in names:
        job = terraform["jobs"][f"apply-{name}"]
        assert job["environment"] == name
        assert job["defaults"]["run"]["working-directory"] == f"infra/envs/{name}"
        env = next(e for e in context["_environments"] if e["name"] == name)
        role = next(s for s in job["steps"] if "role-to-assume" in s.get("with", {}))
        assert role["with"]["role-to-assume"].endswith(f":role/{env['terraform_apply_role']}")


def test_no_long_lived_aws_keys(rendered: dict[str, dict[str, Path]]) -> None:
    forbidden = re.compile(
        r"AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key", re.I
    )
    hits = [
        f"{case}/{name}"
        for case, files in rendered.items()
        for name, path in files.items()
        if forbidden.search(path.read_text("utf-8"))
    ]
    assert hits == []


def test_actions_are_pinned_to_a_version(rendered: dict[str, dict[str, Path]]) -> None:
    pinned = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$")
    uses = {
        step["uses"]
        for case in rendered
        for workflow in _workflows(rendered, case).values()
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "uses" in step
    }
    assert uses and all(pinned.match(u) for u in uses), sorted(uses)


# --- no injected expression -------------------------------------------------------

_LITERAL_OPEN = "${{ '${{' }}"  # how infraplan.escape writes a literal "${{"


def expressions(text: str) -> list[str]:
    """Every ``${{ ... }}`` GitHub would evaluate in ``text`` (quotes respected)."""
    found = []
    start = text.find("${{")
    while start != -1:
        i, quoted = start + 3, False
        while i < len(text):
            if quoted:
                if text.startswith("''", i):
                    i += 1
                elif text[i] == "'":
                    quoted = False
            elif text[i] == "'":
                quoted = True
            elif text.startswith("}}", i):
                break
            i += 1
        found.append(text[start : i + 2])
        start = text.find("${{", i + 2)
    return found


def strings(node: Any) -> list[str]:
    """Every string of a parsed workflow, keys included."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in strings(k) + strings(v)]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return []


@functools.cache
def _intended_expressions(overrides_json: str) -> frozenset[str]:
    overrides = json.loads(overrides_json)
    files = render(PIECE, **{**overrides, "title": "plain title"})
    return frozenset(
        e for text in files.values() for s in strings(load_workflow(text)) for e in expressions(s)
    )


def intended_expressions(overrides: dict[str, Any]) -> set[str]:
    """The expressions the templates write when the title is harmless."""
    return set(_intended_expressions(json.dumps(overrides, sort_keys=True)))


# Where the title shows: the run name, after this prefix.
RUN_NAME_PREFIX = {
    "ci.yml": "CI ",
    "deploy.yml": "Deploy ",
    "terraform.yml": "Terraform ",
    "preview.yml": "Preview ",
}


def assert_no_injection(files: dict[str, str], overrides: dict[str, Any], title: str) -> None:
    allowed = intended_expressions(overrides) | {_LITERAL_OPEN}
    for name, text in files.items():
        workflow = load_workflow(text)
        injected = {e for s in strings(workflow) for e in expressions(s)} - allowed
        assert injected == set(), name
        # The run name shows the title exactly, once GitHub has evaluated it.
        prefix = RUN_NAME_PREFIX.get(name.rsplit("/", 1)[-1])
        if prefix is not None:
            assert workflow["run-name"].replace(_LITERAL_OPEN, "${{") == prefix + title, name


@pytest.mark.parametrize("case", [c for c in CASES if "title" in CASES[c]])
def test_adversarial_title_injects_no_expression(case: str) -> None:
    overrides = CASES[case]
    assert_no_injection(render(PIECE, **overrides), overrides, overrides["title"])


def test_expression_scanner_finds_what_github_would_evaluate() -> None:
    # The scanner must see an injection when the escape is missing.
    assert expressions("a ${{ secrets.X }} b") == ["${{ secrets.X }}"]
    assert expressions("${{ '}}' }} ${{ '${{' }} x }}") == ["${{ '}}' }}", _LITERAL_OPEN]
    with pytest.raises(AssertionError):
        naive = 'name: x\non: push\nrun-name: "CI ${{ secrets.X }}"\njobs: {a: {}}\n'
        assert_no_injection({"naive.yml": naive}, {}, "${{ secrets.X }}")


# Any text, and text made of the pieces an injection is built from.
_FRAGMENTS = [
    "${{",
    "}}",
    "${{ '",
    "' }}",
    "'",
    '"',
    "\n",
    "\\",
    "{{",
    "{%",
    "${",
    " secrets.X ",
    "#",
    ": ",
]
TITLES = st.one_of(
    st.text(min_size=1, max_size=80),
    st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=3), min_size=1).map("".join),
).filter(bool)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(title=TITLES)
def test_any_title_renders_parseable_workflows_without_injection(title: str) -> None:
    overrides: dict[str, Any] = {"aws": {"account_id": "123456789012"}}
    files = render(PIECE, title=title, **overrides)
    assert set(files) == {
        *(f".github/workflows/{n}" for n in WORKFLOWS),
        ".github/dependabot.yml",
    }
    assert_no_injection(files, overrides, title)


# --- the rollback runbook -------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_runbook_names_each_environment_and_the_ways_back(case: str) -> None:
    context = _context(case)
    [(path, text)] = render("runbooks", **CASES[case]).items()
    assert path == "docs/runbooks/rollback.md"
    assert "rollback.yml" in text
    assert ("circuit breaker on, with rollback" in text) is context["auto_rollback"]
    for env in context["_environments"]:
        row = (
            f"| {env['name']} | `{env['cluster']}` | `{env['service']}` | `{env['task_family']}` |"
        )
        assert row in text
        command = (
            f"aws ecs update-service --cluster {env['cluster']} --service {env['service']} \\\n"
            f"  --task-definition {env['task_family']}:NUMBER"
        )
        assert command in text
    assert "terraform plan -out=rollback.tfplan" in text


@pytest.mark.parametrize("case", CASES)
def test_runbook_names_the_concurrency_group_the_rollback_workflow_uses(case: str) -> None:
    [(_, text)] = render("runbooks", **CASES[case]).items()
    workflow = load_workflow(render(PIECE, **CASES[case])[".github/workflows/rollback.yml"])
    project = _context(case)["project"]
    groups = {job["concurrency"]["group"] for job in workflow["jobs"].values()}
    names = {env["name"] for env in _context(case)["_environments"]}
    assert groups == {f"rollback-{project}-{name}" for name in names}
    assert f"`rollback-{project}-ENVIRONMENT`" in text
    assert "shares the\ndeploy workflow's concurrency group" not in text


def test_runbook_title_cannot_break_the_markdown() -> None:
    [text] = render("runbooks", title="# Evil\n\n## injected `x` <b>").values()
    heading, *rest = text.split("\n")
    assert heading.startswith("# Runbook: rolling back ")
    assert "<b>" not in text
    assert not any(line.startswith("## injected") for line in rest)


# --- cookiecutter alone -----------------------------------------------------------


@pytest.mark.parametrize("piece", [PIECE, "runbooks"])
def test_cookiecutter_json_lists_every_key_with_the_context_default(piece: str) -> None:
    assert piece_defaults(piece)["_extensions"] == ["infraplan.escape.EscapeExtension"]
    assert defaults_mismatch(piece) == {}
    assert unlisted_keys(piece) == set()


@pytest.mark.parametrize("piece", [PIECE, "runbooks"])
def test_plain_cookiecutter_renders_what_infraplan_renders(piece: str, tmp_path: Path) -> None:
    project = run_plain_cookiecutter(piece, tmp_path)
    plain = {
        p.relative_to(project).as_posix(): p.read_text("utf-8")
        for p in project.rglob("*")
        if p.is_file()
    }
    assert plain == render(piece)  # preview.yml rendered empty and was dropped by the hook
