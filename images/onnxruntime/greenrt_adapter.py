"""ONNX Runtime adapter for greenrt_harness: model.onnx on the CPU, CUDA or TensorRT execution provider.

No silent fallback: the requested provider must be available and first in session.get_providers().
Inputs follow the graph's own metadata (names, element types, NCHW or NHWC, fixed or dynamic dims), with
the values every runtime gets (greenrt_harness.inputs). On CPU, run() returns numpy arrays; on CUDA and
TensorRT the inputs are bound on the device once (IOBinding) and the outputs are bound to host memory, so
each run ends with the output copy: that copy is the synchronisation.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

from greenrt_harness.adapter import RuntimeEnvironment, TrialSpec
from greenrt_harness.inputs import (
    BERT_INPUT_NAMES,
    IMAGE_CHANNELS,
    IMAGE_MODELS,
    IMAGE_SIZE,
    bert_inputs,
    image_inputs,
    package_versions,
)

PROVIDERS = {
    "cpu": ["CPUExecutionProvider"],
    "cuda": ["CUDAExecutionProvider", "CPUExecutionProvider"],
    # TensorRT compiles what it supports; CUDA, then CPU, run the rest (listed, so nothing is implicit).
    "tensorrt": ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"],
}
ONNX_TYPES = {"tensor(float)": np.float32, "tensor(int64)": np.int64, "tensor(int32)": np.int32}
PACKAGES = ("onnxruntime", "onnxruntime-gpu", "numpy")


def session_providers(provider: str, env: dict[str, str]) -> list[Any]:
    """The provider list for a session. TensorRT keeps its engines in the run-scoped folder the
    orchestrator mounts (GREENRT_TRT_ENGINE_CACHE) when the experiment asks for it."""
    wanted: list[Any] = list(PROVIDERS[provider])
    cache = env.get("GREENRT_TRT_ENGINE_CACHE")
    if provider == "tensorrt" and cache:
        wanted[0] = (wanted[0], {"trt_engine_cache_enable": True, "trt_engine_cache_path": cache})
    return wanted


def find_model(model_dir: Path) -> Path:
    direct = model_dir / "model.onnx"
    if direct.is_file():
        return direct
    found = sorted(model_dir.glob("*.onnx"))
    if len(found) == 1:
        return found[0]
    raise FileNotFoundError(f"no model.onnx in {model_dir} ({len(found)} other .onnx files). Prepare the model first.")


def resolve_shape(name: str, shape: list[Any], wanted: tuple[int, ...]) -> tuple[int, ...]:
    """Fill the graph's dynamic dims from `wanted`; fixed dims must agree with it."""
    if len(shape) != len(wanted):
        raise ValueError(f"input {name!r} has rank {len(shape)}, greenrt needs shape {wanted}")
    for axis, (dim, want) in enumerate(zip(shape, wanted, strict=True)):
        if isinstance(dim, int) and dim > 0 and dim != want:
            raise ValueError(f"input {name!r} has fixed dim {axis} = {dim}, the trial needs {want}: export the "
                             "model with dynamic batch/sequence axes")
    return wanted


def graph_inputs(session: Any, spec: TrialSpec, rng: np.random.Generator) -> dict[str, np.ndarray]:
    metas = session.get_inputs()
    for meta in metas:
        if meta.type not in ONNX_TYPES:
            raise ValueError(f"input {meta.name!r} has type {meta.type}: supported {sorted(ONNX_TYPES)}")
    n = spec.batch_size
    if spec.model in IMAGE_MODELS:
        if len(metas) != 1 or len(metas[0].shape) != 4:
            raise ValueError(f"{spec.model} graph should have one 4-d image input, has {[m.shape for m in metas]}")
        meta = metas[0]
        layout = "NHWC" if meta.shape[3] == IMAGE_CHANNELS and meta.shape[1] != IMAGE_CHANNELS else "NCHW"
        nchw = layout == "NCHW"
        wanted = (n, IMAGE_CHANNELS, IMAGE_SIZE, IMAGE_SIZE) if nchw else (n, IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS)
        resolve_shape(meta.name, meta.shape, wanted)
        return {meta.name: image_inputs(rng, n, layout).astype(ONNX_TYPES[meta.type], copy=False)}
    values = bert_inputs(rng, n, spec.sequence_length)
    feeds = {}
    for meta in metas:
        resolve_shape(meta.name, meta.shape, (n, spec.sequence_length))
        feeds[meta.name] = values[bert_role(meta.name)].astype(ONNX_TYPES[meta.type], copy=False)
    return feeds


def bert_role(name: str) -> str:
    """Map a graph input name (PyTorch, TensorFlow or MXNet export) to input_ids/attention_mask/token_type_ids."""
    lowered = name.lower()
    if lowered in BERT_INPUT_NAMES:
        return lowered
    if "mask" in lowered:
        return "attention_mask"
    if "type" in lowered or "segment" in lowered:
        return "token_type_ids"
    return "input_ids"


def bind_io(session: Any, feeds: dict[str, np.ndarray], output_names: list[str], device: str) -> tuple[Any, list[Any]]:
    """Copy the inputs to `device` once and bind them; bind the outputs to host memory. Returns the binding
    and the device buffers (kept alive by the caller)."""
    binding = session.io_binding()
    buffers = []
    for name, array in feeds.items():
        value = ort.OrtValue.ortvalue_from_numpy(array, device, 0)
        buffers.append(value)
        binding.bind_ortvalue_input(name, value)
    for name in output_names:
        binding.bind_output(name, "cpu")
    return binding, buffers


def gpu_name() -> str:
    """The first GPU's model from the driver's /proc entry (visible in containers run with the NVIDIA runtime)."""
    for info in sorted(Path("/proc/driver/nvidia/gpus").glob("*/information")):
        for line in info.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Model:"):
                return line.split(":", 1)[1].strip()
    return "cuda:0"


class OrtAdapter:
    def __init__(self) -> None:
        self.session: Any = None
        self.provider = "cpu"
        self.threads: int | None = None
        self.output_names: list[str] = []
        self.binding: Any = None
        self._device_inputs: list[Any] = []

    def load(self, spec: TrialSpec) -> None:
        if spec.provider not in PROVIDERS:
            raise ValueError(f"provider {spec.provider!r} is unknown: use one of {sorted(PROVIDERS)}")
        wanted = PROVIDERS[spec.provider]
        available = ort.get_available_providers()
        if wanted[0] not in available:
            raise RuntimeError(
                f"provider {spec.provider!r} needs {wanted[0]}, but this onnxruntime {ort.__version__} offers "
                f"{available}. Use the cuda image flavour (onnxruntime-gpu) on a host with an NVIDIA GPU.")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if spec.threads is not None:
            options.intra_op_num_threads = spec.threads
        self.session = ort.InferenceSession(str(find_model(spec.model_dir)), sess_options=options,
                                            providers=session_providers(spec.provider, dict(os.environ)))
        in_effect = self.session.get_providers()
        if not in_effect or in_effect[0] != wanted[0]:
            raise RuntimeError(f"provider {spec.provider!r}: onnxruntime started {in_effect} instead of {wanted[0]} "
                               "(it fell back, usually a missing CUDA/cuDNN/TensorRT library). "
                               "Not measuring a fallback.")
        self.provider = spec.provider
        self.threads = spec.threads
        self.output_names = [o.name for o in self.session.get_outputs()]

    def make_inputs(self, spec: TrialSpec, rng: np.random.Generator) -> Any:
        feeds = graph_inputs(self.session, spec, rng)
        if self.provider == "cpu":
            return feeds
        self.binding, self._device_inputs = bind_io(self.session, feeds, self.output_names, "cuda")
        return self.binding

    def run_once(self, inputs: Any) -> Any:
        if self.binding is None:
            return self.session.run(self.output_names, inputs)
        self.session.run_with_iobinding(inputs)
        return inputs.get_outputs()

    def build_engine(self, inputs: Any) -> bool:
        """TensorRT builds (or loads from the cache) its engine on the first run: do it here, timed by
        the harness as phase `engineBuild` inside warm-up, never in the measured window."""
        if self.provider != "tensorrt":
            return False
        self.run_once(inputs)
        return True

    def synchronize(self, outputs: Any) -> None:
        # run() and run_with_iobinding() with host-bound outputs return after the outputs reached host memory.
        return None

    def output_checksum(self, outputs: Any) -> float:
        first = outputs[0]
        array = first if isinstance(first, np.ndarray) else first.numpy()
        return float(np.sum(array, dtype=np.float64))

    def environment(self) -> RuntimeEnvironment:
        device = "cpu" if self.provider == "cpu" else gpu_name()
        providers = list(self.session.get_providers()) if self.session is not None else []
        return RuntimeEnvironment(framework="onnxruntime", framework_version=ort.__version__, device=device,
                                  providers=providers, threads=self.threads, packages=package_versions(PACKAGES))


def create_adapter() -> OrtAdapter:
    return OrtAdapter()


def describe() -> dict[str, Any]:
    return {"framework": "onnxruntime", "frameworkVersion": ort.__version__, "packages": package_versions(PACKAGES),
            "providersAvailable": list(ort.get_available_providers())}
