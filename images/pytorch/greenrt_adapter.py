"""PyTorch adapter for greenrt_harness: native models (torchvision state_dict / transformers folder) on
CPU or CUDA, eval mode, torch.inference_mode. Model building lives in pytorch_models.py; ONNX export in
pytorch_prepare.py.

Execution modes (catalogue `modes`; every mode returns the same first output and is synchronised the same way):
  eager (default): the nn.Module called under torch.inference_mode, one Python dispatch per operator.
  torchscript:     torch.jit.trace on the trial's inputs, then torch.jit.freeze (weights and attributes folded
                   into the graph), run under torch.inference_mode. Traced in the harness's engineBuild phase.
  compile:         torch.compile (inductor, default options), compiled by one call in the engineBuild phase.
                   Inductor needs a C/C++ compiler at run time (C++ kernels on CPU, Triton's launcher on CUDA);
                   without one the mode is refused at load with the reason (the plan refuses it first for images
                   the catalogue marks).
Synchronisation: torch.cuda.synchronize after every inference on CUDA; on CPU every call returns computed tensors.
"""

from __future__ import annotations

import shutil
from typing import Any

import numpy as np
import torch

from greenrt_harness.adapter import RuntimeEnvironment, TrialSpec, resolve_mode
from greenrt_harness.inputs import model_inputs, package_versions

PACKAGES = ("torch", "torchvision", "transformers", "numpy", "onnx")


def _device(provider: str) -> torch.device:
    if provider == "cpu":
        return torch.device("cpu")
    if provider == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError(
                f"provider 'cuda' requested but torch.cuda.is_available() is False (torch {torch.__version__}, "
                f"built for CUDA {torch.version.cuda or 'none'}). Use the cuda image flavour on a host with an "
                "NVIDIA GPU and the container toolkit, or provider cpu.")
        return torch.device("cuda:0")
    raise ValueError(f"provider {provider!r} is not supported by the pytorch runtime: use cpu or cuda")


def compiler_missing(provider: str) -> str | None:
    """Why torch.compile (inductor) cannot build its code here, or None when a compiler is on PATH."""
    needed = ("c++", "g++", "clang++") if provider == "cpu" else ("cc", "gcc", "clang")
    if any(shutil.which(c) for c in needed):
        return None
    what = "the C++ kernels it generates for the CPU" if provider == "cpu" else "Triton's CUDA launcher"
    return (f"mode 'compile' needs a {'C++' if provider == 'cpu' else 'C'} compiler ({' or '.join(needed)}) on PATH: "
            f"torch.compile's inductor backend compiles {what} at run time, and this image has none. "
            "Use mode eager or torchscript, or an image with a compiler.")


class TorchAdapter:
    def __init__(self) -> None:
        self.model: torch.nn.Module | None = None
        self.device = torch.device("cpu")
        self.is_bert = False
        self.threads: int | None = None
        self.mode = "eager"
        self.graph: Any = None  # the traced (torchscript) or compiled (compile) callable, positional inputs

    def load(self, spec: TrialSpec) -> None:
        from pytorch_models import BERT_MODEL, load_native

        self.mode = resolve_mode(spec)
        self.device = _device(spec.provider)
        if self.mode == "compile":
            missing = compiler_missing(spec.provider)
            if missing:
                raise RuntimeError(missing)
        if spec.threads is not None:
            torch.set_num_threads(spec.threads)
        self.threads = torch.get_num_threads()
        self.is_bert = spec.model == BERT_MODEL
        self.model = load_native(spec.model, spec.model_dir).to(self.device).eval()

    def _positional(self) -> torch.nn.Module:
        """The model behind positional inputs with one tensor (or a tuple) out: what trace and compile take."""
        from pytorch_models import BertOutputs

        assert self.model is not None
        return BertOutputs(self.model).eval() if self.is_bert else self.model

    def build_engine(self, inputs: dict[str, torch.Tensor]) -> bool:
        """torchscript: trace + freeze; compile: torch.compile and one call (the compilation). Timed by the
        harness as phase engineBuild, before warm-up. eager: nothing to build."""
        if self.mode == "eager":
            return False
        args = tuple(inputs.values())
        module = self._positional()
        if self.mode == "torchscript":
            with torch.no_grad():
                traced = torch.jit.trace(module, args, check_trace=False)
                self.graph = torch.jit.freeze(traced.eval())
        else:
            self.graph = torch.compile(module)
        with torch.inference_mode():
            self.graph(*args)  # the first call of a frozen graph optimises it; of a compiled one, compiles it
        self.synchronize(None)
        return True


    def make_inputs(self, spec: TrialSpec, rng: np.random.Generator) -> dict[str, torch.Tensor]:
        arrays = model_inputs(spec.model, rng, spec.batch_size, spec.sequence_length, layout="NCHW")
        tensors = {name: torch.from_numpy(a).to(self.device) for name, a in arrays.items()}
        self.synchronize(None)  # the copies to the device are done before the harness starts a phase
        return tensors

    def run_once(self, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
        assert self.model is not None
        with torch.inference_mode():
            if self.graph is not None:
                out = self.graph(*inputs.values())
                return out[0] if isinstance(out, (tuple, list)) else out
            if self.is_bert:
                return self.model(**inputs, return_dict=True).last_hidden_state
            return self.model(inputs["pixel_values"])

    def synchronize(self, outputs: Any) -> None:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)

    def output_checksum(self, outputs: torch.Tensor) -> float:
        return float(outputs.double().sum().item())

    def environment(self) -> RuntimeEnvironment:
        device = torch.cuda.get_device_name(self.device) if self.device.type == "cuda" else "cpu"
        return RuntimeEnvironment(framework="torch", framework_version=torch.__version__, device=device,
                                  providers=[self.device.type], threads=self.threads,
                                  packages=package_versions(PACKAGES), mode=self.mode)


def create_adapter() -> TorchAdapter:
    return TorchAdapter()


def create_preparer() -> Any:
    from pytorch_prepare import TorchPreparer

    return TorchPreparer()


def describe() -> dict[str, Any]:
    providers = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    return {"framework": "torch", "frameworkVersion": torch.__version__, "packages": package_versions(PACKAGES),
            "providersAvailable": providers}
