"""Parse one Terraform file into plain, normalized, cacheable data.

This is the only module that calls python-hcl2 (``check`` and ``scaffold`` both read
Terraform through it). It asks hcl2 for
unquoted strings, drops its bookkeeping keys, and pairs every top-level block
with the lines :mod:`infraplan.hcl.scan` recovers. The result is plain
JSON-able data (so it can be cached and sent between processes):

``{"blocks": [{"kind", "labels", "line", "end", "body", "keys"}], "error": None}``

or, for a file that does not parse, ``{"blocks": [], "error": {"message", "line"}}``.
"""

from __future__ import annotations

import functools
from collections import defaultdict, deque
from typing import Any

from infraplan.hcl.scan import ScannedBlock, scan_blocks

PARSED_FORMAT = 3  # bump when the shape below changes: it is part of the cache key

# Top-level keys whose entries carry labels: kind -> number of labels.
_LABELLED = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1}


@functools.lru_cache(maxsize=1)
def parser() -> Any:
    """hcl2's own grammar, without the line bookkeeping hcl2 asks Lark for.

    Lines come from :mod:`infraplan.hcl.scan`; dropping Lark's position
    tracking roughly halves the parse time and yields the same data. Should a
    future hcl2 move its grammar, hcl2's own parser is used.
    """
    try:
        import hcl2.parser
        from hcl2.postlexer import PostLexer
        from lark import Lark

        return Lark.open(
            "hcl2.lark",
            parser="lalr",
            rel_to=hcl2.parser.__file__,
            propagate_positions=False,
            postlex=PostLexer(),
            cache=True,
        )
    except Exception:  # any failure here only costs speed
        from hcl2.parser import parser as hcl2_parser

        return hcl2_parser()


def _load(text: str) -> Any:
    from hcl2.api import serialize, transform
    from hcl2.utils import SerializationOptions

    options = SerializationOptions(
        with_comments=False, strip_string_quotes=True, preserve_heredocs=False
    )
    # hcl2 appends a newline too: its grammar needs one at the end of the file.
    tree = parser().parse(text + "\n")
    return serialize(transform(tree, discard_comments=True), serialization_options=options)


def parse_terraform_text(text: str) -> dict[str, Any]:
    try:
        raw = _load(text)
    except Exception as exc:  # hcl2 raises lark errors and, on odd input, plain ones
        return {"blocks": [], "error": _error(exc)}
    if not isinstance(raw, dict):
        return {"blocks": [], "error": {"message": "not a Terraform file", "line": 1}}
    scanned = scan_blocks(text)
    return {"blocks": _blocks(raw, scanned), "error": None}


def parse_tfvars_text(text: str) -> dict[str, Any]:
    """A ``.tfvars`` file: one flat mapping of variable values."""
    try:
        raw = _load(text)
    except Exception as exc:
        return {"values": {}, "error": _error(exc)}
    return {"values": normalize(raw) if isinstance(raw, dict) else {}, "error": None}


def _error(exc: Exception) -> dict[str, Any]:
    line = getattr(exc, "line", None)
    message = str(exc).strip().split("\n")[0] or type(exc).__name__
    return {"message": message[:300], "line": line if isinstance(line, int) and line > 0 else 1}


def normalize(value: Any) -> Any:
    """Drop hcl2's markers; keep strings, numbers, booleans, lists and mappings."""
    if isinstance(value, dict):
        return {
            str(k): normalize(v)
            for k, v in value.items()
            if not (isinstance(k, str) and k.startswith("__") and k.endswith("__"))
        }
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def _blocks(raw: dict[str, Any], scanned: list[ScannedBlock]) -> list[dict[str, Any]]:
    lines: dict[tuple[str, ...], deque[ScannedBlock]] = defaultdict(deque)
    for block in scanned:
        lines[(block.kind, *block.labels)].append(block)
    out: list[dict[str, Any]] = []
    for kind, entries in raw.items():
        if kind.startswith("__") or not isinstance(entries, list):
            continue
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            for labels, body in _unfold(kind, entry):
                found = lines.get((kind, *labels))
                where = found.popleft() if found else None
                out.append(
                    {
                        "kind": kind,
                        "labels": labels,
                        "line": where.line if where else 1,
                        "end": where.end if where else 1,
                        "body": normalize(body),
                        "keys": [list(k) for k in where.keys] if where else [],
                    }
                )
    out.sort(key=lambda b: int(b["line"]))
    return out


def _unfold(kind: str, entry: dict[str, Any]) -> list[tuple[list[str], dict[str, Any]]]:
    depth = _LABELLED.get(kind, 0)
    if depth == 0:
        return [([], entry)]
    found: list[tuple[list[str], dict[str, Any]]] = []

    def walk(node: dict[str, Any], labels: list[str]) -> None:
        for key, value in node.items():
            if key.startswith("__") or not isinstance(value, dict):
                continue
            if len(labels) + 1 == depth:
                found.append(([*labels, key], value))
            else:
                walk(value, [*labels, key])

    walk(entry, [])
    return found
