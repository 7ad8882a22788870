"""The spec stage: ``plan.yaml`` read with line numbers, validated, and the facts derived from it.

``model`` holds the pydantic model (sections in ``service``, ``network``, ``pipeline``,
``monitoring``; shared types in ``types``), ``load`` reads a file and reports every problem
at once, ``semantics`` checks what needs several fields together, ``schema`` publishes the
JSON Schema; ``aws_facts``, ``naming`` and ``addressing`` derive AWS names and subnet
layouts from a spec; ``scaling`` resolves each environment's autoscaling.
"""

from infraplan.spec.load import LoadedSpec, load_spec
from infraplan.spec.model import Spec

__all__ = ["LoadedSpec", "Spec", "load_spec"]
