"""PyTorch adapter for greenrt_harness: native models (torchvision state_dict / transformers folder) on
CPU or CUDA, eval mode, torch.inference_mode. Model building lives in pytorch_models.py; ONNX export in
pytorch_prepare.py."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from greenrt_harness.adapter import RuntimeEnvironment, TrialSpec
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


class TorchAdapter:
    def __init__(self) -> None:
        self.model: torch.nn.Module | None = None
        self.device = torch.device("cpu")
        self.is_bert = False
        self.threads: int | None = None

    def load(self, spec: TrialSpec) -> None:
        from pytorch_models import BERT_MODEL, load_native

        self.device = _device(spec.provider)
        if spec.threads is not None:
            torch.set_num_threads(spec.threads)
        self.threads = torch.get_num_threads()
        self.is_bert = spec.model == BERT_MODEL
        self.model = load_native(spec.model, spec.model_dir).to(self.device).eval()

    def make_inputs(self, spec: TrialSpec, rng: np.random.Generator) -> dict[str, torch.Tensor]:
        arrays = model_inputs(spec.model, rng, spec.batch_size, spec.sequence_length, layout="NCHW")
        tensors = {name: torch.from_numpy(a).to(self.device) for name, a in arrays.items()}
        self.synchronize(None)  # the copies to the device are done before the harness starts a phase
        return tensors

    def run_once(self, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
        assert self.model is not None
        with torch.inference_mode():
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
                                  packages=package_versions(PACKAGES))


def create_adapter() -> TorchAdapter:
    return TorchAdapter()


def create_preparer() -> Any:
    from pytorch_prepare import TorchPreparer

    return TorchPreparer()


def describe() -> dict[str, Any]:
    providers = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    return {"framework": "torch", "frameworkVersion": torch.__version__, "packages": package_versions(PACKAGES),
            "providersAvailable": providers}
