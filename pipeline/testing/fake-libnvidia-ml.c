/*
 * FAKE (tests only): a stand-in libnvidia-ml.so.1 with fixed answers, so the real koffi binding
 * (pipeline/power/nvml-binding.ts) can be exercised on hosts without an NVIDIA driver: symbol
 * names, argument passing and the struct layouts of nvmlFieldValue_t, nvmlProcessInfo_t and
 * nvmlUtilization_t (a fixed, made-up 37 % gpu / 12 % memory: not a measurement).
 * Like an older driver, it lacks nvmlDeviceGetCurrentClocksEventReasons and
 * nvmlDeviceGetComputeRunningProcesses_v3, so the binding's fallbacks are used.
 * Fake host shape, read from the environment (all optional; labelled fakes, not hardware):
 *   FAKE_NVML_GPU_COUNT   GPUs listed (1 to 4, default 1): "Fake H100" with UUIDs GPU-fake-0, GPU-fake-1, ...
 *   FAKE_NVML_MIG         indices of GPUs in MIG mode, e.g. "1" or "0,2" (default none)
 *   FAKE_NVML_PROCESSES   "0": no compute process on any GPU (default: pids 4242 and 77 on every GPU)
 *   FAKE_NVML_HEX_UUIDS   "1": UUIDs in the hexadecimal form CUDA_VISIBLE_DEVICES and gpu.devices accept,
 *                         GPU-00000000-fa4e-4000-8000-00000000000N (N: the index); default GPU-fake-N
 * Build: cc -shared -fPIC -o libnvidia-ml.so.1 fake-libnvidia-ml.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void *nvmlDevice_t;
#define FAKE_MAX 4
static int fake_devices[FAKE_MAX];
static unsigned long long energy_mj[FAKE_MAX] = {1000000ULL, 1000000ULL, 1000000ULL, 1000000ULL};

static unsigned int gpu_count(void) {
  const char *v = getenv("FAKE_NVML_GPU_COUNT");
  int n = v ? atoi(v) : 1;
  return n < 1 ? 1 : n > FAKE_MAX ? FAKE_MAX : (unsigned int)n;
}
static int device_index(nvmlDevice_t d) {
  for (unsigned int i = 0; i < gpu_count(); i++) if (d == (nvmlDevice_t)&fake_devices[i]) return (int)i;
  return -1;
}

typedef struct {
  unsigned int fieldId;
  unsigned int scopeId;
  long long timestamp;
  long long latencyUsec;
  unsigned int valueType;
  unsigned int nvmlReturn;
  union { double dVal; unsigned int uiVal; unsigned long ulVal; unsigned long long ullVal; long long sllVal; int siVal; unsigned short usVal; } value;
} nvmlFieldValue_t;

typedef struct {
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId;
  unsigned int computeInstanceId;
} nvmlProcessInfo_v2_t;

typedef struct {
  unsigned int gpu;
  unsigned int memory;
} nvmlUtilization_t;

static int is_device(nvmlDevice_t d) { return device_index(d) >= 0; }

int nvmlInit_v2(void) { return 0; }
int nvmlShutdown(void) { return 0; }
const char *nvmlErrorString(int rc) { return rc == 3 ? "Not Supported" : rc == 7 ? "Insufficient Size" : "Fake Error"; }
int nvmlSystemGetDriverVersion(char *v, unsigned int n) { strncpy(v, "999.99-fake", n); return 0; }
int nvmlDeviceGetCount_v2(unsigned int *c) { *c = gpu_count(); return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t *d) {
  if (i >= gpu_count()) return 2;
  *d = (nvmlDevice_t)&fake_devices[i];
  return 0;
}
/* nvmlDeviceGetMigMode(device, *currentMode, *pendingMode): 1 = NVML_DEVICE_MIG_ENABLE. */
int nvmlDeviceGetMigMode(nvmlDevice_t d, unsigned int *current, unsigned int *pending) {
  int i = device_index(d);
  if (i < 0) return 2;
  const char *mig = getenv("FAKE_NVML_MIG");
  unsigned int on = 0;
  for (const char *p = mig; p && *p; p++) if (*p - '0' == i && (p == mig || p[-1] == ',')) on = 1;
  *current = on; *pending = on;
  return 0;
}
int nvmlDeviceGetName(nvmlDevice_t d, char *s, unsigned int n) { if (!is_device(d)) return 2; strncpy(s, "Fake H100", n); return 0; }
int nvmlDeviceGetUUID(nvmlDevice_t d, char *s, unsigned int n) {
  int i = device_index(d);
  if (i < 0) return 2;
  const char *hex = getenv("FAKE_NVML_HEX_UUIDS");
  if (hex && strcmp(hex, "1") == 0) snprintf(s, n, "GPU-00000000-fa4e-4000-8000-%012d", i);
  else snprintf(s, n, "GPU-fake-%d", i);
  return 0;
}
int nvmlDeviceGetCudaComputeCapability(nvmlDevice_t d, int *major, int *minor) { if (!is_device(d)) return 2; *major = 9; *minor = 0; return 0; }
/* Each read adds 1.5 J, so a test sees the counter move. */
int nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t d, unsigned long long *e) { int i = device_index(d); if (i < 0) return 2; energy_mj[i] += 1500ULL; *e = energy_mj[i]; return 0; }
int nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *p) { if (!is_device(d)) return 2; *p = 250000; return 0; }
int nvmlDeviceGetFieldValues(nvmlDevice_t d, int count, nvmlFieldValue_t *values) {
  if (!is_device(d)) return 2;
  for (int i = 0; i < count; i++) {
    values[i].timestamp = 1700000000123456LL;
    values[i].latencyUsec = 7;
    if (values[i].fieldId == 186) { values[i].valueType = 1; values[i].nvmlReturn = 0; values[i].value.uiVal = 123456; }
    else if (values[i].fieldId == 185) { values[i].valueType = 0; values[i].nvmlReturn = 0; values[i].value.dVal = 98765.5; }
    else { values[i].nvmlReturn = 3; }
  }
  return 0;
}
int nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int *t) { if (!is_device(d) || sensor != 0) return 2; *t = 41; return 0; }
int nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u) { if (!is_device(d)) return 2; u->gpu = 37; u->memory = 12; return 0; }
int nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned int *c) { if (!is_device(d)) return 2; *c = type == 1 ? 1980 : type == 2 ? 2619 : 0; return 0; }
int nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t d, unsigned int *l) { if (!is_device(d)) return 2; *l = 700000; return 0; }
int nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t d, unsigned long long *r) { if (!is_device(d)) return 2; *r = 0x44ULL; return 0; }
int nvmlDeviceGetPersistenceMode(nvmlDevice_t d, int *m) { if (!is_device(d)) return 2; *m = 1; return 0; }
int nvmlDeviceGetComputeRunningProcesses_v2(nvmlDevice_t d, unsigned int *count, nvmlProcessInfo_v2_t *infos) {
  if (!is_device(d)) return 2;
  const char *none = getenv("FAKE_NVML_PROCESSES");
  if (none && strcmp(none, "0") == 0) { *count = 0; return 0; }
  if (infos == NULL || *count < 2) { *count = 2; return 7; }
  infos[0].pid = 4242; infos[0].usedGpuMemory = 1073741824ULL; infos[0].gpuInstanceId = 0xFFFFFFFF; infos[0].computeInstanceId = 0xFFFFFFFF;
  infos[1].pid = 77; infos[1].usedGpuMemory = 0xFFFFFFFFFFFFFFFFULL; infos[1].gpuInstanceId = 0xFFFFFFFF; infos[1].computeInstanceId = 0xFFFFFFFF;
  *count = 2;
  return 0;
}
