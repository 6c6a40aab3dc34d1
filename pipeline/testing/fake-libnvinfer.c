/*
 * FAKE libnvinfer.so.10 / libnvonnxparser.so.10 for tests on hosts without TensorRT (no TensorRT code in it).
 * It exports the names ONNX Runtime 1.26's TensorRT provider imports from them (nm -D --undefined-only
 * libonnxruntime_providers_tensorrt.so), each doing nothing, and getInferLibVersion() returning VERSION
 * (NV_TENSORRT_VERSION's encoding: 101401 is 10.14.1). Build:
 *   cc -shared -fPIC -DVERSION=101401 -Wl,-soname,libnvinfer.so.10 -o libnvinfer.so.10 fake-libnvinfer.c
 * With -DWITHOUT_PLUGIN_REGISTRY it lacks getPluginRegistry, like a TensorRT that lacks a symbol the
 * provider needs.
 */
#include <stddef.h>

#ifndef VERSION
#error "define VERSION (NV_TENSORRT_VERSION encoding, e.g. -DVERSION=101401)"
#endif

int getInferLibVersion(void) { return VERSION; }
void *createInferBuilder_INTERNAL(void *logger, int version) { (void)logger; (void)version; return NULL; }
void *createInferRuntime_INTERNAL(void *logger, int version) { (void)logger; (void)version; return NULL; }
void *createInferRefitter_INTERNAL(void *engine, void *logger, int version) {
  (void)engine; (void)logger; (void)version; return NULL;
}
void *createNvOnnxParser_INTERNAL(void *network, void *logger, int version) {
  (void)network; (void)logger; (void)version; return NULL;
}
void *createNvOnnxParserRefitter_INTERNAL(void *refitter, void *logger, int version) {
  (void)refitter; (void)logger; (void)version; return NULL;
}
#ifndef WITHOUT_PLUGIN_REGISTRY
void *getPluginRegistry(void) { return NULL; }
#endif
