#!/usr/bin/env python3
"""Refresh tests/data/aws_provider_schema.json from the AWS provider's jsii assembly.

The ``cdktn-provider-aws`` package on PyPI ships the whole schema of the
Terraform AWS provider as a jsii assembly: one config struct per resource and
data source (its properties are the arguments, ``optional`` unless required,
each linking to its registry anchor, which is the argument's Terraform name),
one struct per nested block, and one class whose read-only properties are the
computed attributes. This script keeps only the resource and data source types
that infraplan's Terraform templates use, so the committed file stays small, and
the provider block's own arguments (``provider``).

Each struct lists its attributes (``required``, ``optional`` or ``computed``),
their value types (``types``: Terraform's JSON type notation, e.g. ``"string"``,
``["list", "string"]``; jsii does not tell a set from a list, so both are a
list; a type jsii leaves open is ``"dynamic"``) and its nested blocks with their
nesting (``single``: at most one; ``list``). The stub provider of the tests
(``tests/terraform/provider_stub.py``) serves this schema to ``terraform validate``.

Usage::

    python scripts/refresh_provider_schema.py                  # download the pinned version
    python scripts/refresh_provider_schema.py --wheel FILE.whl # use a wheel already downloaded
    python scripts/refresh_provider_schema.py --version 25.9.0

The download goes through ``pip download`` (PyPI), no other network access.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = [
    ROOT / "cookiecutters" / "terraform-modules",
    ROOT / "cookiecutters" / "terraform-env",
    ROOT / "cookiecutters" / "terraform-bootstrap",
]
OUTPUT = ROOT / "tests" / "data" / "aws_provider_schema.json"
PACKAGE = "cdktn-provider-aws"
DEFAULT_VERSION = "25.8.1"

_BLOCK_RE = re.compile(r'^\s*(resource|data)\s+"(aws_[a-z0-9_]+)"', re.MULTILINE)
_ANCHOR_RE = re.compile(
    r"registry\.terraform\.io/providers/hashicorp/aws/(?P<version>[^/]+)/docs/"
    r"(?P<kind>resources|data-sources)/(?P<type>[a-z0-9_]+)#(?P<name>[a-z0-9_]+)\s"
)
_BLOCK_SUMMARY_RE = re.compile(r"^\S+ block\.")
_INLINE_TYPE_RE = re.compile(r'\[\s+("[a-z]+"),\s+("[a-z]+")\s+\]')


def used_types() -> dict[str, set[str]]:
    """Resource and data source types the Terraform templates declare."""
    used: dict[str, set[str]] = {"resource": set(), "data": set()}
    for template in TEMPLATES:
        for path in template.rglob("*.tf"):
            for kind, type_ in _BLOCK_RE.findall(path.read_text(encoding="utf-8")):
                used[kind].add(type_)
    return used


def download_wheel(version: str, into: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            f"{PACKAGE}=={version}",
            "-d",
            str(into),
        ],
        check=True,
    )
    wheels = sorted(into.glob("cdktn_provider_aws-*.whl"))
    if not wheels:
        raise SystemExit(f"pip download of {PACKAGE}=={version} produced no wheel")
    return wheels[0]


def load_assembly(wheel: Path) -> dict[str, Any]:
    """The ``.jsii`` assembly inside the wheel's bundled jsii tarball."""
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".jsii.tgz"))
        tgz = zf.read(name)
    with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as tf:
        member = tf.extractfile("package/.jsii")
        if member is None:
            raise SystemExit(f"{wheel.name}: no .jsii assembly in {name}")
        data: dict[str, Any] = json.load(member)
    return data


def _struct_fqns(type_ref: dict[str, Any]) -> tuple[str | None, str]:
    """The struct a property refers to, and its nesting (single or list)."""
    if "fqn" in type_ref:
        return type_ref["fqn"], "single"
    if "collection" in type_ref:
        inner, _ = _struct_fqns(type_ref["collection"]["elementtype"])
        return inner, "list"
    if "union" in type_ref:
        for option in type_ref["union"]["types"]:
            fqn, nesting = _struct_fqns(option)
            if fqn and not fqn.startswith("cdktn."):
                return fqn, nesting
    return None, "single"


_PRIMITIVES = {"string": "string", "number": "number", "boolean": "bool"}
_MAPS = {"cdktn.StringMap": "string", "cdktn.NumberMap": "number", "cdktn.BooleanMap": "bool"}


def cty_type(type_ref: dict[str, Any]) -> Any:
    """The Terraform type of a jsii property, in Terraform's JSON type notation.

    cdktn writes a boolean argument as ``boolean | IResolvable`` and a computed
    boolean as ``IResolvable``; a set is a jsii array, served as a list.
    """
    if "primitive" in type_ref:
        return _PRIMITIVES.get(type_ref["primitive"], "dynamic")
    if "collection" in type_ref:
        kind = "list" if type_ref["collection"]["kind"] == "array" else "map"
        return [kind, cty_type(type_ref["collection"]["elementtype"])]
    if "union" in type_ref:
        options = [t for t in type_ref["union"]["types"] if t.get("fqn") != "cdktn.IResolvable"]
        return cty_type(options[0]) if len(options) == 1 else "bool" if not options else "dynamic"
    fqn = type_ref.get("fqn", "")
    if fqn == "cdktn.IResolvable":
        return "bool"
    if fqn in _MAPS:
        return ["map", _MAPS[fqn]]
    return "dynamic"  # an object jsii models as a class: a computed nested attribute


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


class Extractor:
    def __init__(self, assembly: dict[str, Any]) -> None:
        self.types: dict[str, dict[str, Any]] = assembly["types"]
        self.provider_version = ""
        self.index: dict[tuple[str, str], str] = {}  # (kind, type) -> config struct fqn
        for fqn, type_ in self.types.items():
            if not (type_.get("datatype") and fqn.endswith("Config")):
                continue
            if not self._is_construct(fqn[: -len("Config")]):
                continue  # a nested struct whose name happens to end in Config
            for prop in type_.get("properties", []):
                match = _ANCHOR_RE.search(self._doc(prop) + " ")
                if match:
                    kind = "resource" if match["kind"] == "resources" else "data"
                    self.index[(kind, f"aws_{match['type']}")] = fqn
                    self.provider_version = match["version"]
                    break

    def _is_construct(self, fqn: str) -> bool:
        """A resource or data source class: it has the static ``tfResourceType``."""
        type_ = self.types.get(fqn, {})
        return type_.get("kind") == "class" and any(
            p["name"] == "tfResourceType" and p.get("static") for p in type_.get("properties", [])
        )

    @staticmethod
    def _doc(prop: dict[str, Any]) -> str:
        docs = prop.get("docs", {})
        return f"{docs.get('summary', '')} {docs.get('remarks', '')}"

    def struct(self, fqn: str, class_fqn: str | None) -> dict[str, Any]:
        attributes: dict[str, str] = {}
        value_types: dict[str, Any] = {}
        blocks: dict[str, Any] = {}
        settable: set[str] = set()
        for prop in self.types[fqn].get("properties", []):
            doc = self._doc(prop)
            match = _ANCHOR_RE.search(doc + " ")
            name = match["name"] if match else _snake(prop["name"])
            settable.add(prop["name"])
            required = not prop.get("optional", False)
            struct_fqn, nesting = _struct_fqns(prop["type"])
            summary = prop.get("docs", {}).get("summary", "")
            if struct_fqn and _BLOCK_SUMMARY_RE.match(summary) and struct_fqn in self.types:
                ref_class = self._output_class(struct_fqn, nesting)
                block = self.struct(struct_fqn, ref_class)
                block["nesting"] = nesting
                if required:
                    block["required"] = True
                blocks[name] = block
            else:
                attributes[name] = "required" if required else "optional"
                value_types[name] = cty_type(prop["type"])
        if class_fqn and class_fqn in self.types:
            for prop in self.types[class_fqn].get("properties", []):
                pname = prop["name"]
                if (
                    prop.get("static")
                    or pname.endswith("Input")
                    or pname in settable
                    or pname in {"internalValue", "fqn", "friendlyUniqueId"}
                    or not prop.get("immutable")
                ):
                    continue
                name = _snake(pname)
                if name not in attributes and name not in blocks:
                    attributes[name] = "computed"
                    value_types[name] = cty_type(prop["type"])
        out: dict[str, Any] = {
            "attributes": dict(sorted(attributes.items())),
            "types": dict(sorted(value_types.items())),
        }
        if blocks:
            out["blocks"] = dict(sorted(blocks.items()))
        return out

    def _output_class(self, struct_fqn: str, nesting: str) -> str | None:
        candidate = f"{struct_fqn}OutputReference"
        return candidate if candidate in self.types else None

    def schema_of(self, kind: str, type_: str) -> dict[str, Any]:
        try:
            config = self.index[(kind, type_)]
        except KeyError:
            raise SystemExit(f"{kind} {type_} is not in the provider schema") from None
        class_fqn = config[: -len("Config")]
        return self.struct(config, class_fqn)


PROVIDER_CONFIG = "@cdktn/provider-aws.provider.AwsProviderConfig"
PROVIDER_META_ARGUMENTS = {"alias"}  # Terraform's own, not the provider's schema


def provider_schema(extractor: Extractor) -> dict[str, Any]:
    """The ``provider "aws"`` block's arguments and blocks (region, default_tags, ...)."""
    schema = extractor.struct(PROVIDER_CONFIG, None)
    for section in ("attributes", "types"):
        for name in PROVIDER_META_ARGUMENTS:
            schema[section].pop(name, None)
    return schema


def build(assembly: dict[str, Any], package_version: str) -> dict[str, Any]:
    extractor = Extractor(assembly)
    used = used_types()
    return {
        "provider": "registry.terraform.io/hashicorp/aws",
        "provider_version": extractor.provider_version,
        "source": f"{PACKAGE} {package_version} (jsii assembly)",
        "provider_config": provider_schema(extractor),
        "resources": {t: extractor.schema_of("resource", t) for t in sorted(used["resource"])},
        "data_sources": {t: extractor.schema_of("data", t) for t in sorted(used["data"])},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a downloaded cdktn-provider-aws wheel")
    parser.add_argument("--version", default=DEFAULT_VERSION, help="package version to download")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download_wheel(args.version, Path(tmp))
        version = wheel.name.split("-")[1]
        schema = build(load_assembly(wheel), version)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(schema, indent=1, sort_keys=False) + "\n"
    text = _INLINE_TYPE_RE.sub(r"[\1, \2]", text)  # ["list", "string"] on one line
    args.output.write_text(text, encoding="utf-8")
    print(
        f"{args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}: "
        f"{len(schema['resources'])} resources, {len(schema['data_sources'])} data sources "
        f"(hashicorp/aws {schema['provider_version']})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
