"""Read a text file as it really arrives: a BOM, CRLF line ends, tabs, and
mojibake (UTF-8 read back as Windows-1252 or Mac Roman, ``PLANIFICACIÃ“N`` or
``PLANIFICACI√ìN``), repaired with ftfy and reported line by line.

ftfy (https://ftfy.readthedocs.io) undoes a wrong decode by re-encoding with the
encoding that most plausibly produced the text; ``fix_text`` is its documented
entry point.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from infraplan.errors import UserError
from infraplan.importers.common import Imported, Where


@dataclass(frozen=True)
class SourceText:
    """A file's lines (no line ends, tabs as spaces), numbered from 1 as in the file."""

    name: str
    lines: tuple[str, ...]

    def where(self, index: int) -> Where:
        """The place of ``lines[index]``."""
        return Where(self.name, index + 1)


def read_source(path: Path, imported: Imported, name: str | None = None) -> SourceText:
    """Read ``path``; report each repair (encoding, mojibake) on ``imported``."""
    label = name or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{label}: is a folder, not a file") from None
    except OSError as exc:
        raise UserError(f"{label}: cannot be read ({exc.strerror})") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        imported.report(Where(label, 1), "repaired", "byte order mark (BOM) removed")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        text = raw.decode("cp1252", errors="replace")
        imported.report(
            Where(label, line), "repaired", "not UTF-8: read as Windows-1252 from here on"
        )
    if "\r" in text:
        imported.report(Where(label, 1), "repaired", "CRLF or CR line ends read as LF")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.expandtabs(4) for line in text.split("\n")]
    return SourceText(label, tuple(_repair_mojibake(lines, label, imported)))


def _repair_mojibake(lines: list[str], label: str, imported: Imported) -> list[str]:
    import ftfy

    # Only the encoding repairs: HTML entities, curly quotes and ligatures are the
    # author's text (and a plan infraplan wrote escapes `<` as `&lt;` on purpose).
    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )
    # The whole file at once: ftfy needs the evidence of many lines to be sure of the
    # wrong decode (one `√°` alone is not enough), then undoes it everywhere.
    fixed, steps = ftfy.fix_and_explain("\n".join(lines), config)
    out = fixed.split("\n")
    if len(out) != len(lines):  # pragma: no cover - line breaks are not touched above
        return lines
    if any(
        before == after and not before.isascii() for before, after in zip(lines, out, strict=True)
    ):
        # A wrong decode mangles every non-ASCII character of the file; a line whose
        # accents or emoji read right means the file was decoded right, and text that
        # looks like mojibake there is what its author typed.
        return lines
    how = " then ".join(f"{step} {arg}" for step, arg in steps or ())
    for number, (before, after) in enumerate(zip(lines, out, strict=False), 1):
        if before != after:
            imported.report(
                Where(label, number),
                "repaired",
                f"mojibake repaired with ftfy ({how}): {before.strip()[:40]!r} -> "
                f"{after.strip()[:40]!r}",
            )
    return out
