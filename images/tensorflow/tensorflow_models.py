"""Model construction shared by the TensorFlow adapter and preparer (Keras 2.15 applications, transformers).

Native layout under <prepared>/native/: a SavedModel (saved_model.pb + variables/) whose only entry point is
the `serving_default` signature, plus greenrt-model.json. The signature takes graph-named inputs with a
dynamic batch (and sequence) axis and returns a dict of named outputs:
  resnet50, mobilenet_v2: pixel_values float32 [N, 224, 224, 3] (NHWC, Keras' layout) -> logits [N, 1000]
  bert_base_uncased:      input_ids, attention_mask, token_type_ids int64 [N, L]
                          -> last_hidden_state [N, L, 768], pooler_output [N, 768]
The SavedModel is what TF Serving loads: the loaded signature is a graph function (no eager per-op
dispatch, no Keras predict() overhead), which is how TensorFlow runs a deployed model.
The vision heads output logits (classifier_activation=None), as torchvision and the Gluon model zoo do.

`keras` is imported directly (Keras 2.15), never `tf.keras`: importing transformers sets
TF_USE_LEGACY_KERAS=1, after which tf.keras looks for the tf_keras package, which would pull the full
(CUDA) tensorflow wheel into the cpu image.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tensorflow as tf

from greenrt_harness.weights_pin import check_weights_file, pin_for, pinned_file, pinned_hub_snapshot

IMAGE_MODELS = ("resnet50", "mobilenet_v2")
BERT_MODEL = "bert_base_uncased"
BERT_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
IMAGE_INPUT = "pixel_values"
META_FILE = "greenrt-model.json"
SIGNATURE = "serving_default"
IMAGE_SIZE = 224


def primary_output(model: str) -> str:
    """The output every runtime reports (reference output and checksum)."""
    return "last_hidden_state" if model == BERT_MODEL else "logits"


def input_signature(model: str) -> list[tf.TensorSpec]:
    if model == BERT_MODEL:
        return [tf.TensorSpec([None, None], tf.int64, name=n) for n in BERT_INPUTS]
    if model in IMAGE_MODELS:
        return [tf.TensorSpec([None, IMAGE_SIZE, IMAGE_SIZE, 3], tf.float32, name=IMAGE_INPUT)]
    raise ValueError(f"model {model!r} is unknown: use one of {(*IMAGE_MODELS, BERT_MODEL)}")


def build_image_model(model: str, weights: str, seed: int) -> Any:
    import keras

    builders = {"resnet50": keras.applications.ResNet50, "mobilenet_v2": keras.applications.MobileNetV2}
    if model not in builders:
        raise ValueError(f"model {model!r} is not a Keras application here: use one of {IMAGE_MODELS}")
    if weights == "pretrained":
        pin = pin_for("tensorflow", model)
        name = pinned_file(pin)["name"]
        try:  # Keras' cache (~/.keras/models): an existing file is used as it is, then checked like a download
            path = Path(keras.utils.get_file(name, origin=pin["location"], cache_subdir="models"))
        except Exception as error:  # download failure
            raise RuntimeError(
                f"pretrained ImageNet weights for {model} could not be downloaded from {pin['location']}: {error}. "
                f"Use weights: random, or run where storage.googleapis.com is reachable. {pin['whenGone']}") from error
        check_weights_file(path, pin)  # WeightsPinError (exit 4) before the bytes are used
        return builders[model](weights=str(path), classifier_activation=None)
    keras.utils.set_random_seed(seed)  # Python, NumPy and TF seeds: the initialisers draw from them
    return builders[model](weights=None, classifier_activation=None)


def build_bert(weights: str, seed: int) -> Any:
    import keras
    from transformers import BertConfig, TFBertModel

    if weights == "pretrained":
        # The PyTorch-format model.safetensors at the pinned revision (transformers converts it): one pinned file for
        # both frameworks, instead of tf_model.h5, which no published digest names.
        folder = pinned_hub_snapshot(pin_for("tensorflow", BERT_MODEL))
        return TFBertModel.from_pretrained(folder, local_files_only=True, use_safetensors=True)
    keras.utils.set_random_seed(seed)
    model = TFBertModel(BertConfig())  # bert-base-uncased shape: 12 layers, 768 hidden, 12 heads, vocab 30522
    model(model.dummy_inputs, training=False)  # create the weights eagerly, not inside the traced signature
    return model


def build_model(model: str, weights: str, seed: int) -> Any:
    return build_bert(weights, seed) if model == BERT_MODEL else build_image_model(model, weights, seed)


def serving_function(model_name: str, model: Any) -> Callable[..., dict[str, tf.Tensor]]:
    """The tf.function saved as `serving_default` and exported to ONNX (inference mode, named outputs)."""
    signature = input_signature(model_name)
    if model_name == BERT_MODEL:
        @tf.function(input_signature=signature)
        def serve_bert(input_ids, attention_mask, token_type_ids):
            out = model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                        training=False)
            return {"last_hidden_state": out.last_hidden_state, "pooler_output": out.pooler_output}
        return serve_bert

    @tf.function(input_signature=signature)
    def serve_image(pixel_values):
        return {"logits": model(pixel_values, training=False)}
    return serve_image


def save_native(model_name: str, model: Any, serve: Any, native_dir: Path, weights: str, seed: int) -> None:
    """Save a plain tf.Module holding the weights and the signature: the same graph as a Keras SavedModel,
    without Keras' per-layer function tracing (which takes minutes for BERT on two cores)."""
    root = tf.Module()
    root.weights = list(model.variables)
    concrete = serve.get_concrete_function()
    tf.saved_model.save(root, str(native_dir), signatures={SIGNATURE: concrete})
    meta = {"model": model_name, "weights": weights, "seed": seed, "tensorflow": tf.__version__,
            "signature": SIGNATURE, "layout": "NHWC" if model_name in IMAGE_MODELS else None,
            "inputs": [s.name for s in input_signature(model_name)], "primaryOutput": primary_output(model_name)}
    (native_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")


def native_dir_of(model_dir: Path) -> Path:
    """The prepared folder's native/ when given the prepared folder, else the folder itself."""
    return model_dir / "native" if (model_dir / "native" / META_FILE).is_file() else model_dir


def load_native(model_name: str, model_dir: Path) -> tuple[Any, Any]:
    """(loaded SavedModel, its serving signature). Call under tf.device(...) to place the variables."""
    native = native_dir_of(model_dir)
    meta_path = native / META_FILE
    if not meta_path.is_file():
        raise FileNotFoundError(f"no TensorFlow model in {model_dir}: {META_FILE} is missing (run prepare first)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("model") != model_name:
        raise ValueError(f"{model_dir} holds {meta.get('model')!r}, but the trial asks for {model_name!r}")
    loaded = tf.saved_model.load(str(native))
    return loaded, loaded.signatures[SIGNATURE]


def keras_model_from_saved(model_name: str, loaded: Any) -> Any:
    """The Keras model behind a loaded SavedModel, for the keras-call and keras-predict modes: the architecture
    rebuilt (random initialisation, no download) and the saved variables assigned in the order save_native
    stored them (model.variables); a shape mismatch raises. Call under tf.device(...)."""
    saved = list(getattr(loaded, "weights", []))
    if not saved:
        raise ValueError("the SavedModel has no `weights` list (prepared by an older greenrt?): re-prepare the model")
    model = build_model(model_name, "random", 0)
    if len(model.variables) != len(saved):
        raise ValueError(f"the rebuilt Keras {model_name} has {len(model.variables)} variables, the SavedModel "
                         f"{len(saved)}: they are not the same network")
    for target, source in zip(model.variables, saved, strict=True):
        if tuple(target.shape) != tuple(source.shape):
            raise ValueError(f"variable {target.name} has shape {tuple(target.shape)}, the saved one "
                             f"{tuple(source.shape)}: they are not the same network")
        target.assign(source)
    return model
