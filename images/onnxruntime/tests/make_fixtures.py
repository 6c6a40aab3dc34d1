"""Write the tiny ONNX graphs the adapter tests use (needs the `onnx` package, e.g. in greenrt/pytorch:cpu):
  docker run --rm --user 0 -v "$PWD/images/onnxruntime/tests:/t" greenrt/pytorch:cpu \\
    python3 /t/make_fixtures.py /t/fixtures
They stand in for exported models: same input names, types and layouts, a few cheap ops."""

from __future__ import annotations

import sys
from pathlib import Path

import onnx
from onnx import TensorProto, helper

OPSET = 17


def _save(graph: onnx.GraphProto, path: Path) -> None:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="greenrt-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def image(path: Path, name: str, shape: list, axes: list[int]) -> None:
    x = helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)
    y = helper.make_tensor_value_info("logits", TensorProto.FLOAT, [shape[0], 3])
    node = helper.make_node("ReduceMean", [name], ["logits"], axes=axes, keepdims=0)
    _save(helper.make_graph([node], "image", [x], [y]), path)


def bert_like(path: Path) -> None:
    dims = ["batch", "sequence"]
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, dims)
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, dims)
    types = helper.make_tensor_value_info("token_type_ids", TensorProto.INT32, dims)
    out = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, dims)
    nodes = [
        helper.make_node("Cast", ["input_ids"], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["token_type_ids"], ["types_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["ids_f", "mask_f"], ["masked"]),
        helper.make_node("Add", ["masked", "types_f"], ["last_hidden_state"]),
    ]
    _save(helper.make_graph(nodes, "bert_like", [ids, mask, types], [out]), path)


def main(out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("nchw", "nhwc", "fixed", "bert"):
        (out / sub).mkdir(exist_ok=True)
    image(out / "nchw" / "model.onnx", "pixel_values", ["batch", 3, 224, 224], [2, 3])
    image(out / "nhwc" / "model.onnx", "input_1", ["batch", 224, 224, 3], [1, 2])
    image(out / "fixed" / "model.onnx", "pixel_values", [1, 3, 224, 224], [2, 3])
    bert_like(out / "bert" / "model.onnx")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent / "fixtures"))
