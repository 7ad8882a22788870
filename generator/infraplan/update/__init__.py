"""``infraplan update``: regenerate the starter repo after the spec or infraplan changes.

spec → render (in memory) → per-file decision (:mod:`.changes`, merging with
:mod:`.merge`) → one all-or-nothing write (:mod:`.pending`, via
:mod:`infraplan.scaffold.writer`). :mod:`.command` prints and returns the exit code.
"""
