/* Generated from catalogue/catalogue.json by scripts/gen-catalogue.mjs. Do not edit. */
import type { Catalogue } from '../contracts/types.gen.js';

export const catalogueData = {
  "schemaVersion": 1,
  "providers": [
    {
      "name": "cpu",
      "label": "CPU"
    },
    {
      "name": "cuda",
      "label": "CUDA"
    },
    {
      "name": "tensorrt",
      "label": "TensorRT"
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
      "aliases": [
        "torch"
      ]
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
      "aliases": [
        "tf"
      ]
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
      "aliases": []
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
      ]
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
      ]
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
      ]
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
