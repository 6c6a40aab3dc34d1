"""TensorFlow preparer: build (seeded random or pretrained), save the SavedModel, convert the same serving
function to ONNX with tf2onnx (dynamic batch/sequence axes), and run it on seeded reference inputs.
The reference output is the first graph output: logits [N, 1000] or last_hidden_state [N, L, 768]."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import tensorflow as tf
from tensorflow_models import (
    BERT_MODEL,
    IMAGE_SIZE,
    build_model,
    input_signature,
    primary_output,
    save_native,
    serving_function,
)

from greenrt_harness.adapter import PreparedResult, PrepareSpec, TensorArray
from greenrt_harness.inputs import model_inputs, package_versions

NATIVE_DIR = "native"
ONNX_FILE = "model.onnx"
HIDDEN = 768
PACKAGES = ("tensorflow-cpu", "tensorflow", "keras", "transformers", "tf2onnx", "onnx", "protobuf", "numpy")


def graph_io(model: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """onnx_inputs / onnx_outputs as prepared.json records them (dynamic dims named)."""
    if model == BERT_MODEL:
        inputs = [{"name": s.name, "dtype": "int64", "shape": ["batch", "sequence"]} for s in input_signature(model)]
        outputs = [{"name": "last_hidden_state", "dtype": "float32", "shape": ["batch", "sequence", HIDDEN]},
                   {"name": "pooler_output", "dtype": "float32", "shape": ["batch", HIDDEN]}]
        return inputs, outputs
    # NHWC: Keras' layout, kept in the ONNX graph (no inputs_as_nchw), as a plain tf2onnx conversion gives it.
    return ([{"name": "pixel_values", "dtype": "float32", "shape": ["batch", IMAGE_SIZE, IMAGE_SIZE, 3]}],
            [{"name": "logits", "dtype": "float32", "shape": ["batch", 1000]}])


def name_dynamic_dims(model_proto: Any, io: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    """tf2onnx names unknown dims 'unk__123'; give the graph's inputs and outputs the names prepared.json uses."""
    wanted = {t["name"]: t["shape"] for t in io[0] + io[1]}
    for value in list(model_proto.graph.input) + list(model_proto.graph.output):
        shape = wanted.get(value.name)
        if shape is None:
            raise RuntimeError(f"tf2onnx produced an unexpected graph input/output {value.name!r}")
        for dim, want in zip(value.type.tensor_type.shape.dim, shape, strict=False):
            if isinstance(want, str):
                dim.dim_param = want


def max_tf2onnx_opset() -> int:
    from tf2onnx import constants

    return max(constants.OPSET_TO_IR_VERSION)


class TensorflowPreparer:
    def prepare(self, spec: PrepareSpec) -> PreparedResult:
        import tf2onnx

        if spec.export_onnx and spec.opset > max_tf2onnx_opset():
            raise ValueError(f"opset {spec.opset} is newer than tf2onnx {tf2onnx.__version__} supports (up to "
                             f"{max_tf2onnx_opset()}): ask for opset <= {max_tf2onnx_opset()}")
        started = time.perf_counter()
        model = build_model(spec.model, spec.weights, spec.seed)
        serve = serving_function(spec.model, model)
        save_native(spec.model, model, serve, spec.output_dir / NATIVE_DIR, spec.weights, spec.seed)
        build_ms = (time.perf_counter() - started) * 1000

        inputs = model_inputs(spec.model, np.random.default_rng(spec.seed), spec.reference_batch_size,
                              spec.sequence_length, layout="NHWC")
        outputs = serve(**{name: tf.constant(a) for name, a in inputs.items()})
        out_name = primary_output(spec.model)
        reference = outputs[out_name].numpy().astype(np.float32, copy=False)

        io = graph_io(spec.model)
        onnx_file, export_ms = None, 0.0
        if spec.export_onnx:
            import onnx

            started = time.perf_counter()
            model_proto, _ = tf2onnx.convert.from_function(serve, input_signature=input_signature(spec.model),
                                                           opset=spec.opset)
            name_dynamic_dims(model_proto, io)
            onnx.checker.check_model(model_proto)
            onnx.save(model_proto, str(spec.output_dir / ONNX_FILE))
            export_ms = (time.perf_counter() - started) * 1000
            onnx_file = ONNX_FILE

        return PreparedResult(
            native_dir=NATIVE_DIR, onnx_file=onnx_file,
            exporter=f"tf2onnx {tf2onnx.__version__} (tensorflow {tf.__version__})",
            onnx_inputs=io[0], onnx_outputs=io[1],
            reference_inputs=[TensorArray(n, a) for n, a in inputs.items()],
            reference_output=TensorArray(out_name, reference),
            environment=package_versions(PACKAGES), build_ms=build_ms, export_ms=export_ms,
        )
