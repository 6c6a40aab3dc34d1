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
# Pretrained weights by (framework, model): source, location, revision, files with their digests, the fix when the
# source is gone (catalogue models[].pretrained; greenrt_harness.weights_pin checks every file against them).
PRETRAINED = {
    ("pytorch", "resnet50"): {"source": "torchvision", "location": "https://download.pytorch.org/models/resnet50-11ad3fa6.pth", "revision": "ResNet50_Weights.IMAGENET1K_V2", "files": ({"name": "resnet50-11ad3fa6.pth", "sizeBytes": 102540417, "sha256": "11ad3fa62ca79e40addfd354a8ec4b7c75143b3038b8d2a807fbc68deab379ca"},), "whenGone": "Put the file (same sha256) in $TORCH_HOME/hub/checkpoints/ (default /home/greenrt/.cache/torch/hub/checkpoints inside the image)."},
    ("tensorflow", "resnet50"): {"source": "keras", "location": "https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels.h5", "revision": None, "files": ({"name": "resnet50_weights_tf_dim_ordering_tf_kernels.h5", "sizeBytes": None, "sha256": None, "md5": "2cb95161c43110f7111970584f804107"},), "whenGone": "Put the file (same md5, Keras' own WEIGHTS_HASHES) in ~/.keras/models/ (/home/greenrt/.keras/models inside the image)."},
    ("mxnet", "resnet50"): {"source": "gluon-model-zoo", "location": "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/models/resnet50_v1-cc729d95.zip", "revision": None, "files": ({"name": "resnet50_v1-cc729d95.params", "sizeBytes": None, "sha256": None, "sha1": "cc729d95031ca98cf2ff362eb57dee4d9994e4b2"},), "whenGone": "MXNet's model store is retired: put resnet50_v1-cc729d95.params (same sha1, mxnet.gluon.model_zoo.model_store) in $MXNET_HOME/models/ (/home/greenrt/.mxnet/models inside the image), from a copy or an archive of the zoo. There is no exact converter from another framework: torchvision's resnet50 is v1.5, Keras' is v1 with other training, so converted weights would be a different model."},
    ("pytorch", "mobilenet_v2"): {"source": "torchvision", "location": "https://download.pytorch.org/models/mobilenet_v2-7ebf99e0.pth", "revision": "MobileNet_V2_Weights.IMAGENET1K_V2", "files": ({"name": "mobilenet_v2-7ebf99e0.pth", "sizeBytes": None, "sha256": None, "sha256Prefix": "7ebf99e0"},), "whenGone": "Put the file (its sha256 starts with 7ebf99e0) in $TORCH_HOME/hub/checkpoints/ (default /home/greenrt/.cache/torch/hub/checkpoints inside the image)."},
    ("tensorflow", "mobilenet_v2"): {"source": "keras", "location": "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5", "revision": None, "files": ({"name": "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5", "sizeBytes": None, "sha256": None},), "whenGone": "Put the file in ~/.keras/models/ (/home/greenrt/.keras/models inside the image). Keras publishes no hash for it: preparation prints the sha256 it saw, to be recorded here."},
    ("mxnet", "mobilenet_v2"): {"source": "gluon-model-zoo", "location": "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/models/mobilenetv2_1.0-f9952bcd.zip", "revision": None, "files": ({"name": "mobilenetv2_1.0-f9952bcd.params", "sizeBytes": None, "sha256": None, "sha1": "f9952bcde7a7982947ac5240546e1c1c8f057370"},), "whenGone": "MXNet's model store is retired: put mobilenetv2_1.0-f9952bcd.params (same sha1, mxnet.gluon.model_zoo.model_store) in $MXNET_HOME/models/ (/home/greenrt/.mxnet/models inside the image), from a copy or an archive of the zoo."},
    ("pytorch", "bert_base_uncased"): {"source": "huggingface", "location": "google-bert/bert-base-uncased", "revision": "86b5e0934494bd15c9632b12f734a8a67f723594", "files": ({"name": "model.safetensors", "sizeBytes": 440449768, "sha256": "68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3"},), "whenGone": "Copy the folder of a host that has it (config.json and model.safetensors at this revision, the sha256 above) into $HF_HOME/hub or set HF_ENDPOINT to a mirror: the revision and hash still identify it."},
    ("tensorflow", "bert_base_uncased"): {"source": "huggingface", "location": "google-bert/bert-base-uncased", "revision": "86b5e0934494bd15c9632b12f734a8a67f723594", "files": ({"name": "model.safetensors", "sizeBytes": 440449768, "sha256": "68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3"},), "whenGone": "Copy the folder of a host that has it (config.json and model.safetensors at this revision, the sha256 above) into $HF_HOME/hub or set HF_ENDPOINT to a mirror: the revision and hash still identify it. TensorFlow loads the same PyTorch-format model.safetensors (transformers converts it), so one file serves both."},
    ("mxnet", "bert_base_uncased"): {"source": "gluonnlp", "location": "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/models/bert_12_768_12_book_corpus_wiki_en_uncased-75cc780f.zip", "revision": None, "files": ({"name": "bert_12_768_12_book_corpus_wiki_en_uncased-75cc780f.params", "sizeBytes": None, "sha256": None, "sha1": "75cc780f085e8007b3bf6769c6348bb1ff9a3074"},), "whenGone": "GluonNLP's model store is retired with MXNet: put the .params file (same sha1, gluonnlp.model.bert's model_store entry) in $MXNET_HOME/models/, from a copy or an archive. Converting the Hugging Face weights above is possible in principle (same architecture) but is not implemented here."},
}
