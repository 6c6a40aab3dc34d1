"""MXNet adapter for greenrt_harness: the prepared symbol + params as a hybridized SymbolBlock (static_alloc,
static_shape) on mx.cpu() or mx.gpu(0). Model building lives in mxnet_models.py; ONNX export in mxnet_prepare.py.

Threads: MXNet's CPU operators (and its oneDNN kernels) use OpenMP, whose thread count is read from
OMP_NUM_THREADS when libmxnet loads; there is no runtime setter. So mxnet is imported only inside load(),
after OMP_NUM_THREADS is set from spec.threads (a fresh process per trial, as the harness runs it).
Synchronisation: every MXNet call is asynchronous (the engine queues it, on CPU as on GPU); wait_to_read() on
each output blocks until the operators behind it have run. No copy to host, as with PyTorch's cuda.synchronize.

Execution modes (catalogue `modes`; the same synchronisation in each):
  hybridized (default): the exported symbol as a SymbolBlock, hybridize(static_alloc=True, static_shape=True):
                        the cached graph runs as one call (what greenrt always did).
  imperative:           the Gluon network rebuilt from its definition (model zoo / GluonNLP) without hybridize(),
                        the prepared parameters set by name: every operator dispatched from Python.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from greenrt_harness.adapter import RuntimeEnvironment, TrialSpec, resolve_mode
from greenrt_harness.inputs import model_inputs, package_versions

PACKAGES = ("mxnet", "mxnet-cu112", "gluonnlp", "numpy")
PROVIDERS = ("cpu", "cuda")


def configure_threads(threads: int | None) -> None:
    """Set OMP_NUM_THREADS before libmxnet loads; refuse a request that can no longer take effect."""
    if threads is None:
        return
    if "mxnet" in sys.modules:
        if os.environ.get("OMP_NUM_THREADS") != str(threads):
            raise RuntimeError(f"cannot set MXNet's threads to {threads}: mxnet was already imported with "
                               f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')!r}. Run each trial in a fresh "
                               "process (the harness does).")
        return
    os.environ["OMP_NUM_THREADS"] = str(threads)


def gpu_count() -> int:
    import mxnet as mx

    try:
        return int(mx.context.num_gpus())
    except Exception:  # noqa: BLE001 - a CPU-only libmxnet has no CUDA runtime to ask
        return 0


def gpu_name() -> str:
    """The first GPU's model from the driver's /proc entry (MXNet has no device-name API)."""
    for info in sorted(Path("/proc/driver/nvidia/gpus").glob("*/information")):
        for line in info.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Model:"):
                return line.split(":", 1)[1].strip()
    return "gpu(0)"


def select_context(provider: str) -> Any:
    import mxnet as mx

    if provider not in PROVIDERS:
        raise ValueError(f"provider {provider!r} is not supported by the mxnet runtime: use cpu or cuda "
                         "(TensorRT runs through onnxruntime here)")
    if provider == "cpu":
        return mx.cpu()
    if gpu_count() == 0:
        raise RuntimeError(
            f"provider 'cuda' requested but MXNet {mx.__version__} sees no GPU (CUDA support in this build: "
            f"{mx.runtime.Features().is_enabled('CUDA')}). Use the cuda image flavour (mxnet-cu112) on a host with an "
            "NVIDIA GPU and the container toolkit, or provider cpu.")
    return mx.gpu(0)


class MxnetAdapter:
    def __init__(self) -> None:
        self.block: Any = None
        self.ctx: Any = None
        self.provider = "cpu"
        self.threads: int | None = None
        self.mode = "hybridized"

    def load(self, spec: TrialSpec) -> None:
        self.mode = resolve_mode(spec)
        configure_threads(spec.threads)
        from mxnet_models import load_imperative, load_native

        self.ctx = select_context(spec.provider)
        self.provider = spec.provider
        self.threads = spec.threads
        load = load_imperative if self.mode == "imperative" else load_native
        self.block = load(spec.model, spec.model_dir, self.ctx)

    def make_inputs(self, spec: TrialSpec, rng: np.random.Generator) -> list[Any]:
        from mxnet_models import to_device

        return to_device(model_inputs(spec.model, rng, spec.batch_size, spec.sequence_length, layout="NCHW"),
                         self.ctx)

    def run_once(self, inputs: list[Any]) -> list[Any]:
        out = self.block(*inputs)
        return list(out) if isinstance(out, (list, tuple)) else [out]

    def synchronize(self, outputs: Any) -> None:
        if outputs is None:
            import mxnet as mx

            mx.nd.waitall()
            return
        for array in outputs:
            array.wait_to_read()

    def output_checksum(self, outputs: list[Any]) -> float:
        return float(np.sum(outputs[0].asnumpy(), dtype=np.float64))

    def environment(self) -> RuntimeEnvironment:
        import mxnet as mx

        device = gpu_name() if self.provider == "cuda" else "cpu"
        return RuntimeEnvironment(framework="mxnet", framework_version=mx.__version__, device=device,
                                  providers=[str(self.ctx)], threads=self.threads, packages=package_versions(PACKAGES),
                                  mode=self.mode)


def create_adapter() -> MxnetAdapter:
    return MxnetAdapter()


def create_preparer() -> Any:
    from mxnet_prepare import MxnetPreparer

    return MxnetPreparer()


def describe() -> dict[str, Any]:
    import mxnet as mx

    providers = ["cpu"] + (["cuda"] if gpu_count() > 0 else [])
    return {"framework": "mxnet", "frameworkVersion": mx.__version__, "packages": package_versions(PACKAGES),
            "providersAvailable": providers}
