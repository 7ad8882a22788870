"""Helpers of the template tests: rendering and the real linters."""
