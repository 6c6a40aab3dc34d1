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
IMAGE_MODELS = ("resnet50", "mobilenet_v2")
TEXT_MODELS = ("bert_base_uncased",)
IMAGE_SIZE = 224
IMAGE_CHANNELS = 3
IMAGE_INPUT_NAME = "pixel_values"
BERT_VOCAB_SIZE = 30522
BERT_INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
