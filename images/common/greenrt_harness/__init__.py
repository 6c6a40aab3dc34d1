"""greenrt_harness: the shared entrypoint of every greenrt runtime image.

`python3 -m greenrt_harness run|prepare|describe` (see __main__.py). The harness owns timing, phase
markers, seeded inputs, output files and their validation; each runtime image adds one module
`greenrt_adapter` implementing the Protocols in `adapter.py`. No framework is imported here.
"""

from .adapter import (
    ModelPreparer,
    PreparedResult,
    PrepareSpec,
    RuntimeAdapter,
    RuntimeEnvironment,
    TensorArray,
    TrialSpec,
)
from .inputs import bert_inputs, image_inputs, model_inputs, package_versions

__version__ = "0.1.0"

__all__ = [
    "ModelPreparer",
    "PrepareSpec",
    "PreparedResult",
    "RuntimeAdapter",
    "RuntimeEnvironment",
    "TensorArray",
    "TrialSpec",
    "bert_inputs",
    "image_inputs",
    "model_inputs",
    "package_versions",
]
