"""Generated from catalogue/catalogue.json by scripts/gen-catalogue.mjs. Do not edit."""

RUNTIMES = ("pytorch", "tensorflow", "mxnet", "onnxruntime", "openvino", "embedded")
FRAMEWORKS = ("pytorch", "tensorflow", "mxnet")
PROVIDERS = ("cpu", "cuda", "tensorrt")
RUNTIME_PROVIDERS = {
    "pytorch": ("cpu", "cuda"),
    "tensorflow": ("cpu", "cuda"),
    "mxnet": ("cpu", "cuda"),
    "onnxruntime": ("cpu", "cuda", "tensorrt"),
    "openvino": ("cpu",),
    "embedded": ("cpu",),
}
RUNTIME_MODES = {
    "pytorch": ("eager", "torchscript", "compile"),
    "tensorflow": ("keras-predict", "keras-call", "function"),
    "mxnet": ("imperative", "hybridized"),
}
DEFAULT_MODES = {
    "pytorch": "eager",
    "tensorflow": "function",
    "mxnet": "hybridized",
}
# What the no-GPU check of a cuda/tensorrt image looks at, per runtime (images/common/docker/cuda_check.py).
CUDA_CHECK = {
    "pytorch": {"package": "torch", "libraries": ("lib/lib*.so*",), "kernelLibrary": "lib/libtorch_cuda.so"},
    "tensorflow": {"package": "tensorflow", "libraries": ("libtensorflow_framework.so.2", "libtensorflow_cc.so.2", "python/_pywrap_tensorflow_internal.so"), "kernelLibrary": "libtensorflow_cc.so.2"},
    "mxnet": {"package": "mxnet", "libraries": ("libmxnet.so",), "kernelLibrary": "libmxnet.so"},
    "onnxruntime": {"package": "onnxruntime", "libraries": ("capi/libonnxruntime_providers_*.so",), "kernelLibrary": "capi/libonnxruntime_providers_cuda.so", "unavailable": {"cuda": {"libonnxruntime_providers_tensorrt.so": "TensorRT is not on PyPI: the TensorRT execution provider lives in the tensorrt variant (greenrt images build onnxruntime --flavour tensorrt)"}}},
}
IMAGE_MODELS = ("resnet50", "mobilenet_v2")
TEXT_MODELS = ("bert_base_uncased",)
IMAGE_SIZE = 224
IMAGE_CHANNELS = 3
IMAGE_INPUT_NAME = "pixel_values"
BERT_VOCAB_SIZE = 30522
BERT_INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
