"""TensorFlow adapter for greenrt_harness: the prepared SavedModel's serving signature (a graph function)
on /CPU:0 or /GPU:0. Model building lives in tensorflow_models.py; ONNX conversion in tensorflow_prepare.py.

Synchronisation: TensorFlow has no stable public "wait for the device" call (tf.test.experimental.sync_devices
is test-only and experimental). A signature call returns EagerTensors whose GPU kernels may still be queued;
reading them into NumPy (`.numpy()`) blocks until they are computed and copied to host memory. So each
inference ends with the copy of every output to the host, as a TensorFlow application that uses its
results does, and as the ONNX Runtime trials do (outputs bound to host memory). On CPU the copy is a view.

Execution modes (catalogue `modes`; the same synchronisation, output copied to the host, in each):
  function (default): the SavedModel's serving_default signature, a compiled graph function.
  keras-call:         the Keras model (rebuilt from its architecture, the SavedModel's variables assigned to it)
                      called eagerly, model(x, training=False): one Python dispatch per layer and op.
  keras-predict:      the same Keras model's predict(x, batch_size=N) per batch: Keras' data adapter, its predict
                      loop and a compiled predict step per call, outputs returned as NumPy arrays. The first call
                      (the step's tracing) is done in the engineBuild phase.
"""

from __future__ import annotations

import os
from typing import Any

# TensorFlow's C++ INFO lines (oneDNN notices, CPU features) off; warnings and errors stay.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "1")

import numpy as np
import tensorflow as tf

from greenrt_harness.adapter import RuntimeEnvironment, TrialSpec, resolve_mode
from greenrt_harness.inputs import model_inputs, package_versions

PACKAGES = ("tensorflow-cpu", "tensorflow", "keras", "transformers", "numpy")
DEVICES = {"cpu": "/CPU:0", "cuda": "/GPU:0"}


def configure_threads(threads: int | None) -> None:
    """Intra-op threads must be set before TensorFlow's runtime starts; never ignore a request silently."""
    if threads is None:
        return
    if tf.config.threading.get_intra_op_parallelism_threads() == threads:
        return
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
    except RuntimeError as error:
        raise RuntimeError(f"cannot set TensorFlow intra-op threads to {threads}: the runtime already started "
                           f"({error}). Run each trial in a fresh process (the harness does).") from error


def select_device(provider: str) -> str:
    """Make only the requested device visible (TF would otherwise place ops on a GPU for provider cpu)."""
    if provider not in DEVICES:
        raise ValueError(f"provider {provider!r} is not supported by the tensorflow runtime: use cpu or cuda "
                         "(TensorRT runs through onnxruntime here)")
    gpus = tf.config.list_physical_devices("GPU")
    if provider == "cuda":
        if not gpus:
            raise RuntimeError(
                f"provider 'cuda' requested but TensorFlow {tf.__version__} sees no GPU (built with CUDA: "
                f"{tf.test.is_built_with_cuda()}). Use the cuda image flavour on a host with an NVIDIA GPU and the "
                "container toolkit, or provider cpu.")
        tf.config.set_visible_devices(gpus[:1], "GPU")
    elif gpus:
        tf.config.set_visible_devices([], "GPU")
    return DEVICES[provider]


class TensorflowAdapter:
    def __init__(self) -> None:
        self.fn: Any = None
        self.loaded: Any = None  # keeps the SavedModel (and its variables) alive
        self.device = DEVICES["cpu"]
        self.threads: int | None = None
        self.primary = "logits"
        self.mode = "function"
        self.keras_model: Any = None
        self.is_bert = False
        self.batch_size = 1

    def load(self, spec: TrialSpec) -> None:
        from tensorflow_models import BERT_MODEL, keras_model_from_saved, load_native, primary_output

        self.mode = resolve_mode(spec)
        configure_threads(spec.threads)
        self.device = select_device(spec.provider)
        self.threads = spec.threads
        self.primary = primary_output(spec.model)
        self.is_bert = spec.model == BERT_MODEL
        self.batch_size = spec.batch_size
        with tf.device(self.device):
            self.loaded, self.fn = load_native(spec.model, spec.model_dir)
            if self.mode != "function":
                self.keras_model = keras_model_from_saved(spec.model, self.loaded)

    def build_engine(self, inputs: dict[str, tf.Tensor]) -> bool:
        """keras-predict: the first predict() call traces Keras' predict step; done here (phase engineBuild)."""
        if self.mode != "keras-predict":
            return False
        self.synchronize(self.run_once(inputs))
        return True

    def make_inputs(self, spec: TrialSpec, rng: np.random.Generator) -> dict[str, tf.Tensor]:
        arrays = model_inputs(spec.model, rng, spec.batch_size, spec.sequence_length, layout="NHWC")
        with tf.device(self.device):
            tensors = {name: tf.identity(tf.constant(a)) for name, a in arrays.items()}
        for t in tensors.values():
            t.numpy()  # the host-to-device copies finish before the harness starts a phase
        return tensors

    def run_once(self, inputs: dict[str, tf.Tensor]) -> dict[str, Any]:
        if self.mode == "function":
            return self.fn(**inputs)
        if self.mode == "keras-call":
            if self.is_bert:
                out = self.keras_model(**inputs, training=False)
                return {"last_hidden_state": out.last_hidden_state, "pooler_output": out.pooler_output}
            return {"logits": self.keras_model(inputs["pixel_values"], training=False)}
        # keras-predict: NumPy outputs (predict copies them to the host itself)
        if self.is_bert:
            out = self.keras_model.predict(dict(inputs), batch_size=self.batch_size, verbose=0)
            return {"last_hidden_state": out["last_hidden_state"], "pooler_output": out["pooler_output"]}
        return {"logits": self.keras_model.predict(inputs["pixel_values"], batch_size=self.batch_size, verbose=0)}

    def synchronize(self, outputs: Any) -> None:
        if outputs is None:
            return  # make_inputs already waited for its copies; nothing else was queued
        for tensor in outputs.values():
            if not isinstance(tensor, np.ndarray):  # keras-predict's outputs are on the host already
                tensor.numpy()

    def output_checksum(self, outputs: dict[str, Any]) -> float:
        return float(np.sum(np.asarray(outputs[self.primary]), dtype=np.float64))

    def environment(self) -> RuntimeEnvironment:
        device = "cpu"
        if self.device == DEVICES["cuda"]:
            gpu = tf.config.list_physical_devices("GPU")[0]
            device = tf.config.experimental.get_device_details(gpu).get("device_name", "GPU:0")
        return RuntimeEnvironment(framework="tensorflow", framework_version=tf.__version__, device=device,
                                  providers=[self.device], threads=self.threads, packages=package_versions(PACKAGES),
                                  mode=self.mode)


def create_adapter() -> TensorflowAdapter:
    return TensorflowAdapter()


def create_preparer() -> Any:
    from tensorflow_prepare import TensorflowPreparer

    return TensorflowPreparer()


def describe() -> dict[str, Any]:
    providers = ["cpu"] + (["cuda"] if tf.config.list_physical_devices("GPU") else [])
    return {"framework": "tensorflow", "frameworkVersion": tf.__version__, "packages": package_versions(PACKAGES),
            "providersAvailable": providers}
