"""The scaffold stage: spec → template values (``context``) → files in memory (``render``,
``repo``) → the manifest (``manifest``) → the one writer to disk (``writer``); ``command`` is
``infraplan new``."""
