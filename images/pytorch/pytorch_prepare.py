"""PyTorch preparer: build (seeded random or pretrained), save native files, export ONNX with a dynamic
batch axis, and run the model on seeded reference inputs. The reference output is the first graph
output: logits [N, 1000] for the vision models, last_hidden_state [N, L, 768] for BERT."""

from __future__ import annotations

import time

import numpy as np
import torch
from pytorch_models import BERT_MODEL, BertOutputs, build_bert, build_image_model, save_native

from greenrt_harness.adapter import PreparedResult, PrepareSpec, TensorArray
from greenrt_harness.inputs import model_inputs, package_versions

NATIVE_DIR = "native"
ONNX_FILE = "model.onnx"
HIDDEN = 768


def _graph_io(model: str) -> tuple[list[str], list[str], dict[str, dict[int, str]], list[dict], list[dict]]:
    if model == BERT_MODEL:
        names = ["input_ids", "attention_mask", "token_type_ids"]
        outputs = ["last_hidden_state", "pooler_output"]
        axes = {n: {0: "batch", 1: "sequence"} for n in names}
        axes.update({"last_hidden_state": {0: "batch", 1: "sequence"}, "pooler_output": {0: "batch"}})
        info_in = [{"name": n, "dtype": "int64", "shape": ["batch", "sequence"]} for n in names]
        info_out = [{"name": "last_hidden_state", "dtype": "float32", "shape": ["batch", "sequence", HIDDEN]},
                    {"name": "pooler_output", "dtype": "float32", "shape": ["batch", HIDDEN]}]
        return names, outputs, axes, info_in, info_out
    axes = {"pixel_values": {0: "batch"}, "logits": {0: "batch"}}
    return (["pixel_values"], ["logits"], axes,
            [{"name": "pixel_values", "dtype": "float32", "shape": ["batch", 3, 224, 224]}],
            [{"name": "logits", "dtype": "float32", "shape": ["batch", 1000]}])


class TorchPreparer:
    def prepare(self, spec: PrepareSpec) -> PreparedResult:
        started = time.perf_counter()
        is_bert = spec.model == BERT_MODEL
        if is_bert:
            model = build_bert(spec.weights, spec.seed)
        else:
            model = build_image_model(spec.model, spec.weights, spec.seed)
        save_native(spec.model, model, spec.output_dir / NATIVE_DIR, spec.weights, spec.seed)
        graph_model = BertOutputs(model).eval() if is_bert else model
        build_ms = (time.perf_counter() - started) * 1000

        inputs = model_inputs(spec.model, np.random.default_rng(spec.seed), spec.reference_batch_size,
                              spec.sequence_length, layout="NCHW")
        args = tuple(torch.from_numpy(a) for a in inputs.values())
        with torch.inference_mode():
            out = graph_model(*args)
        first = out[0] if isinstance(out, tuple) else out
        reference = first.detach().cpu().numpy().astype(np.float32, copy=False)

        names, output_names, axes, info_in, info_out = _graph_io(spec.model)
        onnx_file, export_ms = None, 0.0
        if spec.export_onnx:
            started = time.perf_counter()
            with torch.no_grad():
                torch.onnx.export(graph_model, args, str(spec.output_dir / ONNX_FILE), input_names=names,
                                  output_names=output_names, dynamic_axes=axes, opset_version=spec.opset,
                                  do_constant_folding=True, dynamo=False)
            export_ms = (time.perf_counter() - started) * 1000
            onnx_file = ONNX_FILE
            self._check(spec)

        return PreparedResult(
            native_dir=NATIVE_DIR, onnx_file=onnx_file, exporter=f"torch.onnx {torch.__version__}",
            onnx_inputs=info_in, onnx_outputs=info_out,
            reference_inputs=[TensorArray(n, a) for n, a in inputs.items()],
            reference_output=TensorArray(output_names[0], reference),
            environment=package_versions(("torch", "torchvision", "transformers", "onnx", "numpy")),
            build_ms=build_ms, export_ms=export_ms,
        )

    @staticmethod
    def _check(spec: PrepareSpec) -> None:
        try:
            import onnx
        except ImportError:  # the checker is a sanity check, not a requirement
            return
        onnx.checker.check_model(str(spec.output_dir / ONNX_FILE))

