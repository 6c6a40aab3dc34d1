"""OpenVINO adapter for greenrt_harness: a framework's ONNX export (model.onnx) on OpenVINO's CPU device.

OpenVINO reads the ONNX file itself (no separate conversion step, no IR files). The model is reshaped to the
trial's static input shapes (OpenVINO's recommended CPU mode; MXNet's BERT export does not compile with dynamic
batch/sequence dims: a shape check inside the CPU plugin fails) and compiled for
"CPU" with INFERENCE_NUM_THREADS = threads, the LATENCY hint (one stream, as the harness runs one request at a
time) and INFERENCE_PRECISION_HINT f32: on CPUs with AMX or AVX512-BF16 OpenVINO would otherwise run in bf16,
which no other runtime of the study does. Inputs follow the graph's metadata like the onnxruntime adapter's,
with the values every runtime gets (greenrt_harness.inputs). infer() is synchronous: it returns after the
outputs are in host memory, so that return is the synchronisation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import openvino as ov

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

DEVICES = {"cpu": "CPU"}
PACKAGES = ("openvino", "numpy")


def find_model(model_dir: Path) -> Path:
    direct = model_dir / "model.onnx"
    if direct.is_file():
        return direct
    found = sorted(model_dir.glob("*.onnx"))
    if len(found) == 1:
        return found[0]
    raise FileNotFoundError(f"no model.onnx in {model_dir} ({len(found)} other .onnx files). Prepare the model first.")


def input_shape(port: Any) -> list[int | None]:
    """The port's dims; None for a dynamic one."""
    return [None if d.is_dynamic else d.get_length() for d in port.get_partial_shape()]


def resolve_shape(name: str, shape: list[int | None], wanted: tuple[int, ...]) -> tuple[int, ...]:
    """Fixed dims must agree with `wanted`; dynamic ones take its value."""
    if len(shape) != len(wanted):
        raise ValueError(f"input {name!r} has rank {len(shape)}, greenrt needs shape {wanted}")
    for axis, (dim, want) in enumerate(zip(shape, wanted, strict=True)):
        if dim is not None and dim != want:
            raise ValueError(f"input {name!r} has fixed dim {axis} = {dim}, the trial needs {want}: export the "
                             "model with dynamic batch/sequence axes")
    return wanted


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


def image_layout(port: Any) -> str:
    shape = input_shape(port)
    return "NHWC" if shape[3] == IMAGE_CHANNELS and shape[1] != IMAGE_CHANNELS else "NCHW"


def trial_shapes(ports: list[Any], spec: TrialSpec) -> dict[str, tuple[int, ...]]:
    """The static shape of every graph input for this trial; fixed dims of the graph must agree with it."""
    n = spec.batch_size
    if spec.model in IMAGE_MODELS:
        if len(ports) != 1 or len(input_shape(ports[0])) != 4:
            shapes = [input_shape(p) for p in ports]
            raise ValueError(f"{spec.model} graph should have one 4-d image input, has {shapes}")
        port = ports[0]
        nchw = image_layout(port) == "NCHW"
        wanted = (n, IMAGE_CHANNELS, IMAGE_SIZE, IMAGE_SIZE) if nchw else (n, IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS)
        return {port.get_any_name(): resolve_shape(port.get_any_name(), input_shape(port), wanted)}
    return {p.get_any_name(): resolve_shape(p.get_any_name(), input_shape(p), (n, spec.sequence_length)) for p in ports}


def graph_inputs(ports: list[Any], spec: TrialSpec, rng: np.random.Generator) -> dict[str, np.ndarray]:
    trial_shapes(ports, spec)
    n = spec.batch_size
    if spec.model in IMAGE_MODELS:
        port = ports[0]
        dtype = port.get_element_type().to_dtype()
        return {port.get_any_name(): image_inputs(rng, n, image_layout(port)).astype(dtype, copy=False)}
    values = bert_inputs(rng, n, spec.sequence_length)
    return {p.get_any_name(): values[bert_role(p.get_any_name())].astype(p.get_element_type().to_dtype(), copy=False)
            for p in ports}


def compile_options(threads: int | None) -> dict[str, Any]:
    options: dict[str, Any] = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": "f32"}
    if threads is not None:
        options["INFERENCE_NUM_THREADS"] = threads
    return options


class OpenvinoAdapter:
    def __init__(self) -> None:
        self.core = ov.Core()
        self.compiled: Any = None
        self.request: Any = None
        self.threads: int | None = None

    def load(self, spec: TrialSpec) -> None:
        if spec.provider not in DEVICES:
            raise ValueError(f"provider {spec.provider!r} is not available on openvino: use one of {sorted(DEVICES)}")
        device = DEVICES[spec.provider]
        if device not in self.core.available_devices:
            raise RuntimeError(f"provider {spec.provider!r} needs OpenVINO device {device}, this openvino "
                               f"{ov.get_version()} offers {self.core.available_devices}.")
        model = self.core.read_model(str(find_model(spec.model_dir)))
        # Static shapes for the trial (OpenVINO's recommended CPU mode): MXNet's BERT export does not
        # compile with its dynamic batch/sequence dims (a shape check fails inside the CPU plugin).
        model.reshape({name: list(shape) for name, shape in trial_shapes(list(model.inputs), spec).items()})
        self.compiled = self.core.compile_model(model, device, compile_options(spec.threads))
        self.request = self.compiled.create_infer_request()
        self.threads = spec.threads

    def make_inputs(self, spec: TrialSpec, rng: np.random.Generator) -> Any:
        return graph_inputs(list(self.compiled.inputs), spec, rng)

    def run_once(self, inputs: Any) -> Any:
        return self.request.infer(inputs)

    def synchronize(self, outputs: Any) -> None:
        # infer() returns after the outputs reached host memory.
        return None

    def output_checksum(self, outputs: Any) -> float:
        return float(np.sum(outputs[0], dtype=np.float64))

    def environment(self) -> RuntimeEnvironment:
        threads = self.threads
        if self.compiled is not None:
            threads = int(self.compiled.get_property("INFERENCE_NUM_THREADS")) or threads
        return RuntimeEnvironment(framework="openvino", framework_version=ov.get_version(), device="cpu",
                                  providers=list(self.core.available_devices), threads=threads,
                                  packages=package_versions(PACKAGES))


def create_adapter() -> OpenvinoAdapter:
    return OpenvinoAdapter()


def describe() -> dict[str, Any]:
    return {"framework": "openvino", "frameworkVersion": ov.get_version(), "packages": package_versions(PACKAGES),
            "providersAvailable": list(ov.Core().available_devices)}
