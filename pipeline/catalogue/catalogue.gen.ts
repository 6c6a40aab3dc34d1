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
      "aliases": [],
      "pretrained": {
        "pytorch": {
          "source": "torchvision",
          "location": "https://download.pytorch.org/models/resnet50-11ad3fa6.pth",
          "revision": "ResNet50_Weights.IMAGENET1K_V2",
          "files": [
            {
              "name": "resnet50-11ad3fa6.pth",
              "sizeBytes": 102540417,
              "sha256": "11ad3fa62ca79e40addfd354a8ec4b7c75143b3038b8d2a807fbc68deab379ca"
            }
          ],
          "whenGone": "Put the file (same sha256) in $TORCH_HOME/hub/checkpoints/ (default /home/greenrt/.cache/torch/hub/checkpoints inside the image)."
        },
        "tensorflow": {
          "source": "keras",
          "location": "https://storage.googleapis.com/tensorflow/keras-applications/resnet/resnet50_weights_tf_dim_ordering_tf_kernels.h5",
          "revision": null,
          "files": [
            {
              "name": "resnet50_weights_tf_dim_ordering_tf_kernels.h5",
              "sizeBytes": null,
              "sha256": null,
              "md5": "2cb95161c43110f7111970584f804107"
            }
          ],
          "whenGone": "Put the file (same md5, Keras' own WEIGHTS_HASHES) in ~/.keras/models/ (/home/greenrt/.keras/models inside the image)."
        },
        "mxnet": {
          "source": "gluon-model-zoo",
          "location": "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/models/resnet50_v1-cc729d95.zip",
          "revision": null,
          "files": [
            {
              "name": "resnet50_v1-cc729d95.params",
              "sizeBytes": null,
              "sha256": null,
              "sha1": "cc729d95031ca98cf2ff362eb57dee4d9994e4b2"
            }
          ],
          "whenGone": "MXNet's model store is retired: put resnet50_v1-cc729d95.params (same sha1, mxnet.gluon.model_zoo.model_store) in $MXNET_HOME/models/ (/home/greenrt/.mxnet/models inside the image), from a copy or an archive of the zoo. There is no exact converter from another framework: torchvision's resnet50 is v1.5, Keras' is v1 with other training, so converted weights would be a different model."
        }
      }
    },
    {
      "name": "mobilenet_v2",
      "label": "MobileNetV2",
      "input": "image",
      "aliases": [
        "mobilenetv2"
      ],
      "pretrained": {
        "pytorch": {
          "source": "torchvision",
          "location": "https://download.pytorch.org/models/mobilenet_v2-7ebf99e0.pth",
          "revision": "MobileNet_V2_Weights.IMAGENET1K_V2",
          "files": [
            {
              "name": "mobilenet_v2-7ebf99e0.pth",
              "sizeBytes": null,
              "sha256": null,
              "sha256Prefix": "7ebf99e0"
            }
          ],
          "whenGone": "Put the file (its sha256 starts with 7ebf99e0) in $TORCH_HOME/hub/checkpoints/ (default /home/greenrt/.cache/torch/hub/checkpoints inside the image)."
        },
        "tensorflow": {
          "source": "keras",
          "location": "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5",
          "revision": null,
          "files": [
            {
              "name": "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5",
              "sizeBytes": null,
              "sha256": null
            }
          ],
          "whenGone": "Put the file in ~/.keras/models/ (/home/greenrt/.keras/models inside the image). Keras publishes no hash for it: preparation prints the sha256 it saw, to be recorded here."
        },
        "mxnet": {
          "source": "gluon-model-zoo",
          "location": "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/models/mobilenetv2_1.0-f9952bcd.zip",
          "revision": null,
          "files": [
            {
              "name": "mobilenetv2_1.0-f9952bcd.params",
              "sizeBytes": null,
              "sha256": null,
              "sha1": "f9952bcde7a7982947ac5240546e1c1c8f057370"
            }
          ],
          "whenGone": "MXNet's model store is retired: put mobilenetv2_1.0-f9952bcd.params (same sha1, mxnet.gluon.model_zoo.model_store) in $MXNET_HOME/models/ (/home/greenrt/.mxnet/models inside the image), from a copy or an archive of the zoo."
        }
      }
    },
    {
      "name": "bert_base_uncased",
      "label": "BERT-base-uncased",
      "input": "text",
      "aliases": [
        "bert"
      ],
      "pretrained": {
        "pytorch": {
          "source": "huggingface",
          "location": "google-bert/bert-base-uncased",
          "revision": "86b5e0934494bd15c9632b12f734a8a67f723594",
          "files": [
            {
              "name": "model.safetensors",
              "sizeBytes": 440449768,
              "sha256": "68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3"
            }
          ],
          "whenGone": "Copy the folder of a host that has it (config.json and model.safetensors at this revision, the sha256 above) into $HF_HOME/hub or set HF_ENDPOINT to a mirror: the revision and hash still identify it."
        },
        "tensorflow": {
          "source": "huggingface",
          "location": "google-bert/bert-base-uncased",
          "revision": "86b5e0934494bd15c9632b12f734a8a67f723594",
          "files": [
            {
              "name": "model.safetensors",
              "sizeBytes": 440449768,
              "sha256": "68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3"
            }
          ],
          "whenGone": "Copy the folder of a host that has it (config.json and model.safetensors at this revision, the sha256 above) into $HF_HOME/hub or set HF_ENDPOINT to a mirror: the revision and hash still identify it. TensorFlow loads the same PyTorch-format model.safetensors (transformers converts it), so one file serves both."
        },
        "mxnet": {
          "source": "gluonnlp",
          "location": "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/gluon/models/bert_12_768_12_book_corpus_wiki_en_uncased-75cc780f.zip",
          "revision": null,
          "files": [
            {
              "name": "bert_12_768_12_book_corpus_wiki_en_uncased-75cc780f.params",
              "sizeBytes": null,
              "sha256": null,
              "sha1": "75cc780f085e8007b3bf6769c6348bb1ff9a3074"
            }
          ],
          "whenGone": "GluonNLP's model store is retired with MXNet: put the .params file (same sha1, gluonnlp.model.bert's model_store entry) in $MXNET_HOME/models/, from a copy or an archive. Converting the Hugging Face weights above is possible in principle (same architecture) but is not implemented here."
        }
      }
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
