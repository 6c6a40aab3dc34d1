"""MXNet preparer: build (seeded random or pretrained), export symbol + params, convert the exported graph to
ONNX with mx.onnx.export_model (dynamic batch/sequence axes), and run it on seeded reference inputs.
The reference output is the first graph output: logits [N, 1000] or last_hidden_state [N, L, 768].

Opset: MXNet 1.9.1's converters stop at opset 13, and mx.onnx takes the opset from the installed onnx
(onnx.defs.onnx_opset_version()), so the export pins that to 13 and, when a newer opset is asked for, upgrades
the model with onnx.version_converter; prepared.json's opset is then true of the file.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from greenrt_harness.adapter import PreparedResult, PrepareSpec, TensorArray
from greenrt_harness.inputs import IMAGE_SIZE, model_inputs, package_versions

NATIVE_DIR = "native"
ONNX_FILE = "model.onnx"
HIDDEN = 768
MXNET_MAX_OPSET, MXNET_MIN_OPSET = 13, 12
PACKAGES = ("mxnet", "mxnet-cu112", "gluonnlp", "onnx", "protobuf", "numpy")


def graph_io(model: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    from mxnet_models import BERT_INPUTS, BERT_MODEL

    if model == BERT_MODEL:
        inputs = [{"name": n, "dtype": "int64", "shape": ["batch", "sequence"]} for n in BERT_INPUTS]
        outputs = [{"name": "last_hidden_state", "dtype": "float32", "shape": ["batch", "sequence", HIDDEN]},
                   {"name": "pooler_output", "dtype": "float32", "shape": ["batch", HIDDEN]}]
        return inputs, outputs
    return ([{"name": "pixel_values", "dtype": "float32", "shape": ["batch", 3, IMAGE_SIZE, IMAGE_SIZE]}],
            [{"name": "logits", "dtype": "float32", "shape": ["batch", 1000]}])


@contextlib.contextmanager
def onnx_opset(opset: int) -> Iterator[None]:
    """mx.onnx reads onnx.defs.onnx_opset_version() for the opset to target, and checks its graph with
    onnx.checker's default context (the installed onnx's newest opset): pin both during the export."""
    import onnx.checker
    import onnx.defs

    original, context = onnx.defs.onnx_opset_version, onnx.checker.DEFAULT_CONTEXT
    original_imports = context.opset_imports
    onnx.defs.onnx_opset_version = lambda: opset
    context.opset_imports = {"": opset}
    try:
        yield
    finally:
        onnx.defs.onnx_opset_version = original
        context.opset_imports = original_imports


def drop_initializer_inputs(proto: Any) -> None:
    """mx.onnx also lists every weight as a graph input. ONNX Runtime treats an initializer that is a graph input
    as overridable, so it may not fold or fuse it (Conv+BatchNormalization and the like): keep the weights as
    initializers only, as torch.onnx and tf2onnx write them."""
    weights = {init.name for init in proto.graph.initializer}
    kept = [value for value in proto.graph.input if value.name not in weights]
    del proto.graph.input[:]
    proto.graph.input.extend(kept)


def tidy_graph(proto: Any, io: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    """Drop initializers no node reads (mx.onnx leaves LayerNorm helpers behind; ONNX Runtime warns about each)
    and name the outputs' dynamic dims as prepared.json does."""
    used = {name for node in proto.graph.node for name in node.input}
    kept = [init for init in proto.graph.initializer if init.name in used]
    del proto.graph.initializer[:]
    proto.graph.initializer.extend(kept)
    shapes = {t["name"]: t["shape"] for t in io[0] + io[1]}
    for value in list(proto.graph.input) + list(proto.graph.output):
        for dim, want in zip(value.type.tensor_type.shape.dim, shapes.get(value.name, []), strict=False):
            if isinstance(want, str):
                dim.dim_param = want


def rename_tensors(proto: Any, renames: dict[str, str]) -> None:
    for node in proto.graph.node:
        node.input[:] = [renames.get(n, n) for n in node.input]
        node.output[:] = [renames.get(n, n) for n in node.output]
    for value in list(proto.graph.output) + list(proto.graph.value_info):
        value.name = renames.get(value.name, value.name)


def export_onnx(symbol_file: Any, params_file: Any, model: str, spec: PrepareSpec) -> str:
    """Write spec.output_dir/model.onnx at spec.opset; return the exporter description."""
    import mxnet as mx
    import onnx
    from mxnet_models import NATIVE_TO_ONNX
    from onnx import version_converter

    if spec.opset < MXNET_MIN_OPSET:
        raise ValueError(f"opset {spec.opset} is older than MXNet {mx.__version__}'s ONNX converters support "
                         f"({MXNET_MIN_OPSET}-{MXNET_MAX_OPSET}): ask for opset >= {MXNET_MIN_OPSET}")
    inputs, outputs = graph_io(model)
    length = spec.sequence_length
    shapes = [(1, length) if t["dtype"] == "int64" else (1, 3, IMAGE_SIZE, IMAGE_SIZE) for t in inputs]
    dynamic = [tuple(t["shape"]) for t in inputs]
    types = [np.int64 if t["dtype"] == "int64" else np.float32 for t in inputs]
    path = spec.output_dir / ONNX_FILE
    export_opset = min(spec.opset, MXNET_MAX_OPSET)
    with onnx_opset(export_opset):
        mx.onnx.export_model(str(symbol_file), str(params_file), shapes, types, str(path), dynamic=True,
                             dynamic_input_shapes=dynamic)
    described = f"mxnet.onnx {mx.__version__} (onnx {onnx.__version__}, opset {export_opset})"
    proto = onnx.load(str(path))
    drop_initializer_inputs(proto)
    rename_tensors(proto, NATIVE_TO_ONNX)
    tidy_graph(proto, (inputs, outputs))
    if spec.opset > export_opset:
        try:
            proto = version_converter.convert_version(proto, spec.opset)
        except Exception as error:
            raise RuntimeError(f"onnx.version_converter could not upgrade the MXNet export from opset {export_opset} "
                               f"to {spec.opset}: {error}. Ask for opset {export_opset}.") from error
        described += f" + onnx.version_converter to opset {spec.opset}"
    got = [o.name for o in proto.graph.output]
    # input order follows MXNet's graph (input_ids, token_type_ids, attention_mask); feeds go by name
    if got != [t["name"] for t in outputs] or {i.name for i in proto.graph.input} != {t["name"] for t in inputs}:
        raise RuntimeError(f"MXNet's ONNX graph has inputs {[i.name for i in proto.graph.input]} and outputs {got}, "
                           f"expected {[t['name'] for t in inputs]} and {[t['name'] for t in outputs]}")
    onnx.checker.check_model(proto)
    onnx.save(proto, str(path))
    return described


class MxnetPreparer:
    def prepare(self, spec: PrepareSpec) -> PreparedResult:
        import mxnet as mx
        from mxnet_models import build_model, output_names, save_native, to_device

        ctx = mx.cpu()
        started = time.perf_counter()
        net = build_model(spec.model, spec.weights, spec.seed, ctx)
        inputs = model_inputs(spec.model, np.random.default_rng(spec.seed), spec.reference_batch_size,
                              spec.sequence_length, layout="NCHW")
        out = net(*to_device(inputs, ctx))  # the forward pass also builds the graph that export() writes
        first = out[0] if isinstance(out, (list, tuple)) else out
        reference = first.asnumpy().astype(np.float32, copy=False)
        symbol_file, params_file = save_native(spec.model, net, spec.output_dir / NATIVE_DIR, spec.weights,
                                               spec.seed)
        build_ms = (time.perf_counter() - started) * 1000

        onnx_file, exporter, export_ms = None, None, 0.0
        if spec.export_onnx:
            started = time.perf_counter()
            exporter = export_onnx(symbol_file, params_file, spec.model, spec)
            export_ms = (time.perf_counter() - started) * 1000
            onnx_file = ONNX_FILE

        io = graph_io(spec.model)
        return PreparedResult(
            native_dir=NATIVE_DIR, onnx_file=onnx_file, exporter=exporter, onnx_inputs=io[0], onnx_outputs=io[1],
            reference_inputs=[TensorArray(n, a) for n, a in inputs.items()],
            reference_output=TensorArray(output_names(spec.model)[0], reference),
            environment=package_versions(PACKAGES), build_ms=build_ms, export_ms=export_ms,
        )
