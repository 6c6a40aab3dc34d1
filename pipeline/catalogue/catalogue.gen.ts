/* Generated from catalogue/catalogue.json by scripts/gen-catalogue.mjs. Do not edit. */
import type { Catalogue } from '../contracts/types.gen.js';

export const catalogueData = {
  "schemaVersion": 1,
  "providers": [
    {
      "name": "cpu",
      "label": "CPU",
      "debianPackages": []
    },
    {
      "name": "cuda",
      "label": "CUDA",
      "debianPackages": [
        "cuda-*runtime*",
        "libcudnn*"
      ]
    },
    {
      "name": "tensorrt",
      "label": "TensorRT",
      "debianPackages": [
        "libnvinfer*",
        "tensorrt"
      ]
    }
  ],
  "runtimes": [
    {
      "name": "pytorch",
      "label": "PyTorch",
      "kind": "framework",
      "providers": [
        "cpu",
        "cuda"
      ],
      "imageFlavours": [
        "cpu",
        "cuda"
      ],
      "colour": "#E69F00",
      "modes": [
        {
          "name": "eager",
          "label": "eager",
          "default": true,
          "description": "nn.Module called under torch.inference_mode (Python dispatch per operator)."
        },
        {
          "name": "torchscript",
          "label": "TorchScript",
          "description": "torch.jit.trace on the trial's inputs, then torch.jit.freeze (weights folded into the graph); traced in the engineBuild phase."
        },
        {
          "name": "compile",
          "label": "torch.compile",
          "description": "torch.compile (inductor), compiled in the engineBuild phase.",
          "refused": {
            "cpu": "torch.compile's inductor backend compiles the C++ it generates for the CPU with a C++ compiler at run time, and the pytorch cpu image has none (images/pytorch/README.md, 'Execution modes').",
            "cuda": "torch.compile's inductor backend builds Triton's launcher with a C compiler at run time, and the pytorch cuda image has none (images/pytorch/README.md, 'Execution modes')."
          }
        }
      ],
      "aliases": [
        "torch"
      ],
      "debianPackages": [
        "python3-torch",
        "python3-torchvision"
      ],
      "cudaCheck": {
        "package": "torch",
        "libraries": [
          "lib/lib*.so*"
        ],
        "kernelLibrary": "lib/libtorch_cuda.so"
      }
    },
    {
      "name": "tensorflow",
      "label": "TensorFlow",
      "kind": "framework",
      "providers": [
        "cpu",
        "cuda"
      ],
      "imageFlavours": [
        "cpu",
        "cuda"
      ],
      "colour": "#56B4E9",
      "modes": [
        {
          "name": "keras-predict",
          "label": "Keras predict()",
          "description": "keras Model.predict(x) per batch: Keras' data adapter and predict loop around a compiled step, output copied to NumPy."
        },
        {
          "name": "keras-call",
          "label": "Keras call",
          "description": "Eager model(x, training=False): one Python dispatch per layer and op."
        },
        {
          "name": "function",
          "label": "graph function",
          "default": true,
          "description": "The SavedModel's serving_default signature, a compiled graph function (how TF Serving runs a model)."
        }
      ],
      "aliases": [
        "tf"
      ],
      "debianPackages": [
        "python3-tensorflow*"
      ],
      "cudaCheck": {
        "package": "tensorflow",
        "libraries": [
          "libtensorflow_framework.so.2",
          "libtensorflow_cc.so.2",
          "python/_pywrap_tensorflow_internal.so"
        ],
        "kernelLibrary": "libtensorflow_cc.so.2"
      }
    },
    {
      "name": "mxnet",
      "label": "MXNet",
      "kind": "framework",
      "providers": [
        "cpu",
        "cuda"
      ],
      "imageFlavours": [
        "cpu",
        "cuda"
      ],
      "colour": "#009E73",
      "modes": [
        {
          "name": "imperative",
          "label": "imperative",
          "description": "Gluon block without hybridize(): the operators are dispatched one by one from Python."
        },
        {
          "name": "hybridized",
          "label": "hybridized",
          "default": true,
          "description": "hybridize(static_alloc=True, static_shape=True): the cached graph runs as one call."
        }
      ],
      "aliases": [],
      "debianPackages": [
        "python3-mxnet"
      ],
      "cudaCheck": {
        "package": "mxnet",
        "libraries": [
          "libmxnet.so"
        ],
        "kernelLibrary": "libmxnet.so"
      }
    },
    {
      "name": "onnxruntime",
      "label": "ONNX Runtime",
      "kind": "onnx",
      "providers": [
        "cpu",
        "cuda",
        "tensorrt"
      ],
      "imageFlavours": [
        "cpu",
        "cuda",
        "tensorrt"
      ],
      "colour": "#0072B2",
      "aliases": [
        "ort",
        "onnx"
      ],
      "debianPackages": [
        "python3-onnxruntime",
        "python3-onnx"
      ],
      "cudaCheck": {
        "package": "onnxruntime",
        "libraries": [
          "capi/libonnxruntime_providers_*.so"
        ],
        "kernelLibrary": "capi/libonnxruntime_providers_cuda.so",
        "unavailable": {
          "cuda": {
            "libonnxruntime_providers_tensorrt.so": "TensorRT is not on PyPI: the TensorRT execution provider lives in the tensorrt variant (greenrt images build onnxruntime --flavour tensorrt)"
          }
        }
      }
    },
    {
      "name": "openvino",
      "label": "OpenVINO",
      "kind": "onnx",
      "providers": [
        "cpu"
      ],
      "imageFlavours": [
        "cpu"
      ],
      "colour": "#D55E00",
      "aliases": [
        "ov"
      ],
      "debianPackages": []
    },
    {
      "name": "embedded",
      "label": "onnxruntime-node (embedded)",
      "kind": "onnx",
      "providers": [
        "cpu"
      ],
      "imageFlavours": [],
      "colour": "#CC79A7",
      "aliases": [
        "onnxruntime-node"
      ],
      "debianPackages": [],
      "specRuntime": "onnxruntime"
    }
  ],
  "models": [
    {
      "name": "resnet50",
      "label": "ResNet-50",
      "input": "image",
      "aliases": []
    },
    {
      "name": "mobilenet_v2",
      "label": "MobileNetV2",
      "input": "image",
      "aliases": [
        "mobilenetv2"
      ]
    },
    {
      "name": "bert_base_uncased",
      "label": "BERT-base-uncased",
      "input": "text",
      "aliases": [
        "bert"
      ]
    }
  ],
  "inputs": {
    "image": {
      "names": [
        "pixel_values"
      ],
      "size": 224,
      "channels": 3
    },
    "text": {
      "names": [
        "input_ids",
        "attention_mask",
        "token_type_ids"
      ],
      "vocabSize": 30522
    }
  }
} as const satisfies Catalogue;
