"""Model construction shared by the PyTorch adapter and preparer (torch, torchvision, transformers).

Native layout under <prepared>/native/:
  resnet50, mobilenet_v2: model.pt (torchvision state_dict, torch.save) + greenrt-model.json
  bert_base_uncased:      transformers save_pretrained folder (config.json, model.safetensors) + greenrt-model.json
BERT runs with attn_implementation="eager" in every runtime here: the classic attention graph that exports
to ONNX unchanged, so the native model and its ONNX export compute the same thing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch

from greenrt_harness.weights_pin import check_weights_file, pin_for, pinned_file, pinned_hub_snapshot

IMAGE_MODELS = ("resnet50", "mobilenet_v2")
BERT_MODEL = "bert_base_uncased"
BERT_ATTENTION = "eager"
META_FILE = "greenrt-model.json"
STATE_DICT_FILE = "model.pt"


class BertOutputs(torch.nn.Module):
    """BertModel with positional inputs and a tuple output, as the ONNX graph sees it:
    (last_hidden_state [N, L, 768], pooler_output [N, 768])."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                        return_dict=True)
        return out.last_hidden_state, out.pooler_output


def torchvision_builder(model: str) -> Any:
    import torchvision.models as tvm

    builders = {"resnet50": (tvm.resnet50, tvm.ResNet50_Weights),
                "mobilenet_v2": (tvm.mobilenet_v2, tvm.MobileNet_V2_Weights)}
    if model not in builders:
        raise ValueError(f"model {model!r} is not a torchvision model here: use one of {IMAGE_MODELS}")
    return builders[model]


def build_image_model(model: str, weights: str, seed: int) -> torch.nn.Module:
    build, _ = torchvision_builder(model)
    if weights == "pretrained":
        pin = pin_for("pytorch", model)
        path = _torchvision_weights_file(model, pin)
        check_weights_file(path, pin)  # WeightsPinError (exit 4) before any byte is used
        net = build(weights=None)
        net.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
        return net.eval()
    torch.manual_seed(seed)
    return build(weights=None).eval()


def _torchvision_weights_file(model: str, pin: dict[str, Any]) -> Path:
    """The pinned file in torch.hub's checkpoint folder, downloaded from the pin's location when absent."""
    from torch.hub import download_url_to_file, get_dir

    path = Path(get_dir()) / "checkpoints" / pinned_file(pin)["name"]
    if not path.is_file():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            download_url_to_file(pin["location"], str(path), progress=False)
        except Exception as error:  # download failure
            raise RuntimeError(
                f"pretrained weights for {model} ({pin['revision']}, {pin['location']}) could not be downloaded: "
                f"{error}. Use weights: random, or run where download.pytorch.org is reachable. {pin['whenGone']}"
            ) from error
    return path


def build_bert(weights: str, seed: int) -> torch.nn.Module:
    from transformers import BertConfig, BertModel

    if weights == "pretrained":
        folder = pinned_hub_snapshot(pin_for("pytorch", BERT_MODEL))
        return BertModel.from_pretrained(folder, local_files_only=True, use_safetensors=True,
                                         attn_implementation=BERT_ATTENTION).eval()
    torch.manual_seed(seed)
    return BertModel(BertConfig(attn_implementation=BERT_ATTENTION)).eval()


def save_native(model_name: str, model: torch.nn.Module, native_dir: Path, weights: str, seed: int) -> None:
    native_dir.mkdir(parents=True, exist_ok=True)
    if model_name == BERT_MODEL:
        model.save_pretrained(native_dir, safe_serialization=True)
    else:
        torch.save(model.state_dict(), native_dir / STATE_DICT_FILE)
    meta = {"model": model_name, "weights": weights, "seed": seed, "torch": torch.__version__,
            "bertAttention": BERT_ATTENTION if model_name == BERT_MODEL else None}
    (native_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def native_dir_of(model_dir: Path) -> Path:
    """The prepared folder's native/ when given the prepared folder, else the folder itself."""
    return model_dir / "native" if (model_dir / "native" / META_FILE).is_file() else model_dir


def load_native(model_name: str, model_dir: Path) -> torch.nn.Module:
    native = native_dir_of(model_dir)
    meta_path = native / META_FILE
    if not meta_path.is_file():
        raise FileNotFoundError(f"no PyTorch model in {model_dir}: {META_FILE} is missing (run prepare first)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("model") != model_name:
        raise ValueError(f"{model_dir} holds {meta.get('model')!r}, but the trial asks for {model_name!r}")
    if model_name == BERT_MODEL:
        from transformers import BertModel

        return BertModel.from_pretrained(native, local_files_only=True, attn_implementation=BERT_ATTENTION).eval()
    build, _ = torchvision_builder(model_name)
    model = build(weights=None)
    model.load_state_dict(torch.load(native / STATE_DICT_FILE, map_location="cpu", weights_only=True))
    return model.eval()
