"""Model construction shared by the MXNet adapter and preparer (MXNet 1.9.1 Gluon, GluonNLP 0.10.0).

Models:
  resnet50:          Gluon model zoo resnet50_v1: ResNet v1 (stride in the first 1x1 conv of a bottleneck), the
                     topology of Keras' ResNet50. resnet50_v2 would be the pre-activation ResNet (He et al. 2016b),
                     a different network. torchvision's resnet50 is "v1.5" (stride in the 3x3 conv), which the
                     Gluon zoo does not have (GluonCV's resnet50_v1b); v1 is the nearest model-zoo network.
  mobilenet_v2:      Gluon model zoo mobilenetv2_1.0 (width multiplier 1.0, 224x224).
  bert_base_uncased: GluonNLP bert_12_768_12 (12 layers, 768 units, 12 heads, 3072 FFN, GELU, LayerNorm eps 1e-12,
                     512 positions, 2 token types) with the book_corpus_wiki_en_uncased vocabulary size (30522),
                     wrapped so that its inputs are input_ids / attention_mask / token_type_ids like the other
                     frameworks'. GluonNLP masks by valid_length (a prefix of ones), computed here as
                     sum(attention_mask): the same attention for right-padded masks, which is what greenrt feeds.
Random weights (mx.random.seed): CNNs He-normal (Xavier gaussian, fan-in, magnitude 2: what the Gluon zoo's
ImageNet training scripts use; Gluon's bare default, Uniform(0.07), makes a 50-layer network's activations
blow up or vanish); BERT Normal(0.02), BERT's initializer range. BatchNorm/LayerNorm keep their ones/zeros.

Native layout under <prepared>/native/: model-symbol.json + model-0000.params (HybridBlock.export), with the
graph's inputs and outputs renamed to the names every runtime uses (pixel_values NCHW float32 -> logits;
input_ids, attention_mask, token_type_ids int64 -> sequence_output, pooler_output; the ONNX graph calls the
first last_hidden_state), plus greenrt-model.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import mxnet as mx
import numpy as np

from greenrt_harness.weights_pin import check_weights_file, pin_for, pinned_file

IMAGE_MODELS = ("resnet50", "mobilenet_v2")
BERT_MODEL = "bert_base_uncased"
ZOO_NAMES = {"resnet50": "resnet50_v1", "mobilenet_v2": "mobilenetv2_1.0"}
BERT_NAME, BERT_DATASET, BERT_VOCAB_SIZE = "bert_12_768_12", "book_corpus_wiki_en_uncased", 30522
BERT_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
IMAGE_INPUT = "pixel_values"
META_FILE = "greenrt-model.json"
PREFIX = "model"
EPOCH = 0


def input_names(model: str) -> list[str]:
    return list(BERT_INPUTS) if model == BERT_MODEL else [IMAGE_INPUT]


# MXNet's ONNX exporter takes any output whose name ends in "_state" for an RNN state and renames it, so the
# native graph calls BERT's first output sequence_output (GluonNLP's name); the ONNX graph gets the usual name.
NATIVE_TO_ONNX = {"sequence_output": "last_hidden_state"}


def output_names(model: str, native: bool = False) -> list[str]:
    """Graph output names (the ONNX graph's, or with native=True the exported MXNet symbol's)."""
    names = ["last_hidden_state", "pooler_output"] if model == BERT_MODEL else ["logits"]
    if native:
        inverse = {v: k for k, v in NATIVE_TO_ONNX.items()}
        return [inverse.get(n, n) for n in names]
    return names


class BertWithMask(mx.gluon.HybridBlock):
    """GluonNLP BERTModel behind the (input_ids, attention_mask, token_type_ids) interface, int64 inputs."""

    def __init__(self, bert: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        with self.name_scope():
            self.bert = bert

    def hybrid_forward(self, F, input_ids, attention_mask, token_type_ids):
        valid_length = F.sum(F.cast(attention_mask, "float32"), axis=1)
        sequence, pooled = self.bert(F.cast(input_ids, "float32"), F.cast(token_type_ids, "float32"), valid_length)
        return sequence, pooled


def _bert(weights: str, ctx: Any) -> tuple[Any, bool]:
    """(BERTModel, initialised) for bert_12_768_12 without decoder/classifier heads."""
    from gluonnlp.model import bert as gbert

    if weights == "pretrained":
        # gluonnlp.model.bert registered its files in MXNet's model store (imported above): fetched, then checked.
        _pinned_store_file(f"{BERT_NAME}_{BERT_DATASET}", pin_for("mxnet", BERT_MODEL))
        model, _ = gbert.get_bert_model(BERT_NAME, dataset_name=BERT_DATASET, pretrained=True, ctx=ctx,
                                        use_pooler=True, use_decoder=False, use_classifier=False, root=_store_root())
        return model, True
    hp = gbert.bert_hparams[BERT_NAME]
    encoder = gbert.BERTEncoder(num_layers=hp["num_layers"], units=hp["units"], hidden_size=hp["hidden_size"],
                                max_length=hp["max_length"], num_heads=hp["num_heads"], dropout=hp["dropout"],
                                activation="gelu", layer_norm_eps=1e-12)
    model = gbert.BERTModel(encoder, BERT_VOCAB_SIZE, token_type_vocab_size=hp["token_type_vocab_size"],
                            units=hp["units"], embed_size=hp["embed_size"], use_pooler=True, use_decoder=False,
                            use_classifier=False)
    return model, False


def _store_root() -> str:
    """$MXNET_HOME/models: where MXNet's and GluonNLP's model stores keep their files."""
    return str(Path(mx.base.data_dir()) / "models")


def _pinned_store_file(store_name: str, pin: dict[str, Any]) -> Path:
    """The model store's file for `store_name` (downloaded when absent, or taken as supplied), checked against the
    catalogue's pin (WeightsPinError, exit 4) before the framework loads it."""
    from mxnet.gluon.model_zoo import model_store

    path = Path(_store_root()) / pinned_file(pin)["name"]
    if not path.is_file():
        try:
            path = Path(model_store.get_model_file(store_name, root=_store_root()))
        except Exception as error:
            raise RuntimeError(
                f"pretrained weights {store_name} could not be downloaded from {pin['location']}: {error}. "
                f"Use weights: random. {pin['whenGone']}") from error
    check_weights_file(path, pin)
    return path


def build_model(model: str, weights: str, seed: int, ctx: Any, hybridize: bool = True) -> Any:
    """An initialised Gluon block, hybridized (static_alloc/static_shape: MXNet's fastest inference mode) unless
    hybridize=False (the imperative mode)."""
    mx.random.seed(seed)
    # A fresh name scope: parameter names then do not depend on what the process built before (Gluon numbers
    # top-level blocks per process: resnetv10_, resnetv11_...), so the imperative mode can set the prepared
    # parameters by name in any process.
    with mx.name.NameManager():
        net, init = _construct(model, weights, ctx)
    net.initialize(init, ctx=ctx, force_reinit=False)  # pretrained parameters are already set and stay
    if hybridize:
        net.hybridize(static_alloc=True, static_shape=True)
    return net


def _construct(model: str, weights: str, ctx: Any) -> tuple[Any, Any]:
    """(block, initializer for the parameters that pretrained weights did not set)."""
    if model == BERT_MODEL:
        bert, _ = _bert(weights, ctx)
        net = BertWithMask(bert)
        init: Any = mx.init.Normal(0.02)
    elif model in ZOO_NAMES:
        from mxnet.gluon.model_zoo import vision

        ready = weights == "pretrained"
        if ready:
            _pinned_store_file(ZOO_NAMES[model], pin_for("mxnet", model))
        net = vision.get_model(ZOO_NAMES[model], pretrained=ready, ctx=ctx, root=_store_root())
        init = mx.init.Xavier(rnd_type="gaussian", factor_type="in", magnitude=2)
    else:
        raise ValueError(f"model {model!r} is unknown: use one of {(*IMAGE_MODELS, BERT_MODEL)}")
    return net, init


def rename_graph_io(symbol_file: Path, model: str) -> None:
    """Give the exported symbol's data inputs (data, or data0..data2) and its outputs greenrt's names."""
    graph = json.loads(symbol_file.read_text(encoding="utf-8"))
    wanted_in = input_names(model)
    exported_in = ["data"] if len(wanted_in) == 1 else [f"data{i}" for i in range(len(wanted_in))]
    renames = dict(zip(exported_in, wanted_in, strict=True))
    nodes = graph["nodes"]
    for node in nodes:
        if node["op"] == "null" and node["name"] in renames:
            node["name"] = renames.pop(node["name"])
    if renames:
        raise RuntimeError(f"exported MXNet graph has no input(s) {sorted(renames)}: cannot name its inputs")
    heads = graph["heads"]
    names = output_names(model, native=True)
    if len(heads) != len(names):
        raise RuntimeError(f"exported MXNet graph has {len(heads)} outputs, expected {names}")
    for (index, _, _), name in zip(heads, names, strict=True):
        nodes[index]["name"] = name
    symbol_file.write_text(json.dumps(graph), encoding="utf-8")


def save_native(model: str, net: Any, native_dir: Path, weights: str, seed: int) -> tuple[Path, Path]:
    """HybridBlock.export (needs one forward pass first), then rename the graph's inputs and outputs."""
    native_dir.mkdir(parents=True, exist_ok=True)
    net.export(str(native_dir / PREFIX), epoch=EPOCH)
    symbol_file, params_file = native_dir / f"{PREFIX}-symbol.json", native_dir / f"{PREFIX}-{EPOCH:04d}.params"
    rename_graph_io(symbol_file, model)
    meta = {"model": model, "weights": weights, "seed": seed, "mxnet": mx.__version__, "layout": "NCHW",
            "gluon": ZOO_NAMES.get(model, f"gluonnlp {BERT_NAME}"), "inputs": input_names(model),
            "outputs": output_names(model, native=True)}
    (native_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return symbol_file, params_file


def native_dir_of(model_dir: Path) -> Path:
    """The prepared folder's native/ when given the prepared folder, else the folder itself."""
    return model_dir / "native" if (model_dir / "native" / META_FILE).is_file() else model_dir


def load_native(model: str, model_dir: Path, ctx: Any) -> Any:
    """The exported graph as a hybridized SymbolBlock on ctx."""
    native = native_dir_of(model_dir)
    meta_path = native / META_FILE
    if not meta_path.is_file():
        raise FileNotFoundError(f"no MXNet model in {model_dir}: {META_FILE} is missing (run prepare first)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("model") != model:
        raise ValueError(f"{model_dir} holds {meta.get('model')!r}, but the trial asks for {model!r}")
    block = mx.gluon.SymbolBlock.imports(str(native / f"{PREFIX}-symbol.json"), input_names(model),
                                         str(native / f"{PREFIX}-{EPOCH:04d}.params"), ctx=ctx)
    block.hybridize(static_alloc=True, static_shape=True)
    return block


def to_device(arrays: dict[str, np.ndarray], ctx: Any) -> list[Any]:
    """NDArrays on ctx in graph input order, copies finished."""
    tensors = [mx.nd.array(a, ctx=ctx, dtype=a.dtype) for a in arrays.values()]
    for t in tensors:
        t.wait_to_read()
    return tensors


def load_imperative(model: str, model_dir: Path, ctx: Any) -> Any:
    """The imperative mode's block: the Gluon network rebuilt from its definition, NOT hybridized (each operator
    dispatched from Python), with the prepared parameters set by name. A SymbolBlock cannot serve: it always runs
    its graph as a cached op, hybridized or not."""
    native = native_dir_of(model_dir)
    meta_path = native / META_FILE
    if not meta_path.is_file():
        raise FileNotFoundError(f"no MXNet model in {model_dir}: {META_FILE} is missing (run prepare first)")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("model") != model:
        raise ValueError(f"{model_dir} holds {meta.get('model')!r}, but the trial asks for {model!r}")
    saved = {k.split(":", 1)[1] if k[:4] in ("arg:", "aux:") else k: v
             for k, v in mx.nd.load(str(native / f"{PREFIX}-{EPOCH:04d}.params")).items()}
    net = build_model(model, "random", 0, ctx, hybridize=False)
    params = net.collect_params()
    if set(params.keys()) != set(saved):
        missing, extra = sorted(set(params.keys()) - set(saved)), sorted(set(saved) - set(params.keys()))
        raise ValueError(f"the rebuilt Gluon {model} and the prepared parameters differ: {len(missing)} missing "
                         f"(e.g. {missing[:2]}), {len(extra)} extra (e.g. {extra[:2]}); re-prepare the model")
    for name, param in params.items():
        param.set_data(saved[name].as_in_context(ctx))
    return net
