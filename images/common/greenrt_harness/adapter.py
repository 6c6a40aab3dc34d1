"""The contract between the shared harness and one runtime's adapter.

Each runtime image ships one module `greenrt_adapter` (images/<runtime>/greenrt_adapter.py)
defining `create_adapter() -> RuntimeAdapter` and, for frameworks that build models,
`create_preparer() -> ModelPreparer`. No framework is imported outside its adapter.

Optional module-level `describe() -> dict` for `python3 -m greenrt_harness describe`, keys:
framework (str), frameworkVersion (str), packages ({name: version}), providersAvailable ([str]).
Framework-free input helpers (seeded images and BERT tokens) live in `greenrt_harness.inputs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np


@dataclass(frozen=True)
class TrialSpec:
    """Mirror of schemas/trial-spec.schema.json."""

    trial_id: str
    runtime: str
    source: str
    model: str
    provider: str
    batch_size: int
    warmup_iterations: int
    measured_iterations: int
    seed: int
    threads: int | None
    sequence_length: int
    model_dir: Path
    output_path: Path
    # Execution mode (how the framework is invoked; catalogue `modes`); None: the runtime's default mode, or a
    # runtime without modes. Adapters resolve it with `resolve_mode`.
    mode: str | None = None


def resolve_mode(spec: TrialSpec) -> str:
    """The mode a framework adapter runs: spec.mode, else the runtime's default; a mode the catalogue does not
    list for the runtime is refused with the list (never run in another mode silently)."""
    from .catalogue_gen import DEFAULT_MODES, RUNTIME_MODES

    modes = RUNTIME_MODES.get(spec.runtime, ())
    if not modes:
        raise ValueError(f"runtime {spec.runtime!r} has no execution modes (got mode {spec.mode!r})")
    mode = spec.mode or DEFAULT_MODES[spec.runtime]
    if mode not in modes:
        raise ValueError(f"runtime {spec.runtime!r} has no mode {mode!r}: use one of {', '.join(modes)}")
    return mode


@dataclass(frozen=True)
class PrepareSpec:
    """Mirror of schemas/prepare-spec.schema.json."""

    framework: str
    model: str
    weights: str
    seed: int
    reference_batch_size: int
    sequence_length: int
    export_onnx: bool
    opset: int
    output_dir: Path


@dataclass
class RuntimeEnvironment:
    """What actually ran (trial-output `environment`)."""

    framework: str
    framework_version: str
    device: str
    providers: list[str]
    threads: int | None
    packages: dict[str, str] = field(default_factory=dict)
    mode: str | None = None  # the execution mode that ran (framework adapters)


class RuntimeAdapter(Protocol):
    """Runs one model on one runtime. The harness owns timing, phases and output."""

    def load(self, spec: TrialSpec) -> None:
        """Load the prepared model from spec.model_dir onto spec.provider, set threads, and (framework adapters)
        set up spec.mode (`resolve_mode`): every mode's run_once + synchronize is one complete inference.
        Raise a clear error when the provider or mode is not available (never fall back silently)."""

    def make_inputs(self, spec: TrialSpec, rng: np.random.Generator) -> Any:
        """Build one batch of seeded inputs (called once, before warm-up), already on the device."""

    def run_once(self, inputs: Any) -> Any:
        """One inference. May return before the device finishes; the harness calls synchronize()."""

    def synchronize(self, outputs: Any) -> None:
        """Block until the device has finished the work behind `outputs` (CUDA sync, output copy).
        The harness calls it after every inference, and once with outputs=None before a measured
        window that has no warm-up: then wait for all pending device work (or do nothing)."""

    def output_checksum(self, outputs: Any) -> float:
        """Sum of the output values (a cheap sanity value, computed after the window)."""

    def environment(self) -> RuntimeEnvironment:
        """Versions, device and providers in effect (after load)."""

    # Optional: `build_engine(inputs) -> bool`. A one-off compile step (TensorRT engine build, or its
    # load from a cache) done first in warm-up; the harness times it as phase `engineBuild` when it
    # returns True. Adapters without such a step leave it out.


@dataclass
class TensorArray:
    """A named array for reference files and ONNX input/output descriptions."""

    name: str
    array: np.ndarray


@dataclass
class PreparedResult:
    """What a preparer returns; the harness writes files, hashes and prepared.json."""

    native_dir: str
    onnx_file: str | None
    exporter: str | None
    onnx_inputs: list[dict[str, Any]]   # [{name, dtype, shape}] shape items int or 'batch'/'sequence'
    onnx_outputs: list[dict[str, Any]]
    reference_inputs: list[TensorArray]  # named as the ONNX graph inputs
    reference_output: TensorArray
    environment: dict[str, str]
    build_ms: float
    export_ms: float


class ModelPreparer(Protocol):
    def prepare(self, spec: PrepareSpec) -> PreparedResult:
        """Build the model (seeded random or pretrained weights), save native files under
        spec.output_dir / native_dir, export spec.output_dir / 'model.onnx' when asked, and run the
        framework on seeded reference inputs (np.random.default_rng(spec.seed))."""
