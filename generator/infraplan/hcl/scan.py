"""Recover the line numbers python-hcl2 does not give.

A light scan of the source that understands just enough HCL (strings with
``${...}`` interpolations, comments, heredocs) to count braces: it finds every
top-level block header (``resource "type" "name" {``) with its first and last
line, and the line of every ``key =`` / ``key {`` that starts a line, so a rule
can point at the attribute that decided it. The scan never raises: on text it
cannot follow it simply finds fewer blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r'\$\{|%\{|[{}"\n#\\]|//|/\*|\*/|<<-?"?[A-Za-z_][\w-]*"?[ \t]*(?=\r?\n)')
_HEADER = re.compile(
    r"[ \t]*([A-Za-z_][\w-]*)((?:[ \t]*(?:\"[^\"\n]*\"|[A-Za-z_][\w-]*))*)[ \t]*\{"
)
_LABEL = re.compile(r'"([^"\n]*)"|([A-Za-z_][\w-]*)')
_DYNAMIC = re.compile(r'[ \t]*dynamic[ \t]+"([^"\n]+)"')
_KEY = re.compile(r"[ \t]*([A-Za-z_][\w-]*)[ \t]*(?:=(?!=)|\{|\")")


@dataclass
class ScannedBlock:
    kind: str
    labels: list[str]
    line: int
    end: int = 0
    keys: list[tuple[int, str]] = field(default_factory=list)


def scan_blocks(text: str) -> list[ScannedBlock]:
    """Top-level blocks of ``text`` in source order, with the keys that start their lines."""
    lines = text.split("\n")
    code_at_start = _lines_in_code(text, len(lines))
    blocks: list[ScannedBlock] = []
    depth = 0
    current: ScannedBlock | None = None
    for index, line in enumerate(lines):
        number = index + 1
        if code_at_start[index][0]:
            if depth == 0:
                match = _HEADER.match(line)
                if match:
                    labels = [a or b for a, b in _LABEL.findall(match.group(2))]
                    current = ScannedBlock(match.group(1), labels, number)
                    blocks.append(current)
            elif current is not None:
                key = _KEY.match(line)
                if key:
                    # `dynamic "x" {` writes blocks `x`: file it under that name.
                    dynamic = _DYNAMIC.match(line) if key.group(1) == "dynamic" else None
                    current.keys.append((number, dynamic.group(1) if dynamic else key.group(1)))
        depth = code_at_start[index + 1][1] if index + 1 < len(code_at_start) else depth
        if current is not None and depth == 0 and current.end == 0 and number >= current.line:
            current.end = number
            current = None
    for block in blocks:
        if block.end == 0:
            block.end = len(lines)
    return blocks


def _lines_in_code(text: str, count: int) -> list[tuple[bool, int]]:
    """For each line: whether it starts in plain code, and the brace depth at its start."""
    out: list[tuple[bool, int]] = [(True, 0)]
    # The stack holds what we are inside: "s" string, "i" interpolation, "h:<tag>" heredoc.
    stack: list[str] = []
    depth = 0
    interp_depth: list[int] = []
    position = 0
    in_line_comment = False
    in_block_comment = False
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if match.start() < position:
            continue
        position = match.end()
        if token == "\n":
            in_line_comment = False
            top = stack[-1] if stack else ""
            if top.startswith("h:"):
                end = text.find("\n", match.end())
                next_line = text[match.end() : end if end >= 0 else len(text)]
                if next_line.strip() == top[2:]:
                    stack.pop()
            out.append((not stack and not in_block_comment, depth))
            continue
        if in_line_comment:
            continue
        if in_block_comment:
            if token == "*/":
                in_block_comment = False
            continue
        top = stack[-1] if stack else ""
        if top == "s" or top.startswith("h:"):
            if token == "\\" and top == "s":
                position = match.end() + 1
            elif token in ("${", "%{"):
                stack.append("i")
                interp_depth.append(0)
            elif token == '"' and top == "s":
                stack.pop()
            continue
        # Plain code or inside an interpolation.
        if token in ("#", "//"):
            in_line_comment = True
        elif token == "/*":
            in_block_comment = True
        elif token == '"':
            stack.append("s")
        elif token.startswith("<<"):
            stack.append("h:" + token.lstrip("<-").strip().strip('"'))
        elif token == "{":
            if top == "i":
                interp_depth[-1] += 1
            else:
                depth += 1
        elif token == "}":
            if top == "i":
                if interp_depth[-1] == 0:
                    stack.pop()
                    interp_depth.pop()
                else:
                    interp_depth[-1] -= 1
            else:
                depth = max(depth - 1, 0)
        elif token in ("${", "%{"):
            # Only meaningful inside strings; in code it is a stray token.
            continue
    while len(out) < count:
        out.append((not stack, depth))
    return out
