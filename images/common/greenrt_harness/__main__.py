"""python3 -m greenrt_harness run <trial-spec.json> | prepare <prepare-spec.json> | describe | check <model-dir>

Exit codes: 0 ok; 2 bad spec (message on stderr); 3 the trial or the preparation failed (run: a
TrialOutput with status "failed" was written; prepare: the error is on stderr, last line JSON), or
check found the runtime's output outside the tolerance (its JSON on stdout says by how much);
4 prepare: pretrained weights differ from the catalogue's pin (greenrt_harness.weights_pin; reason on stderr);
1 anything else (e.g. the output cannot be written).
The adapter module is `greenrt_adapter` (override with GREENRT_ADAPTER=<module>).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType

from .describe import describe_image
from .prepare import prepare_model
from .reference_check import reference_check
from .specs import SpecError, read_prepare_spec, read_trial_spec
from .trial import run_trial, write_trial_output
from .weights_pin import WeightsPinError

EXIT_OK, EXIT_ERROR, EXIT_BAD_SPEC, EXIT_FAILED, EXIT_WEIGHTS_PIN = 0, 1, 2, 3, 4


def _adapter_module() -> ModuleType:
    return importlib.import_module(os.environ.get("GREENRT_ADAPTER", "greenrt_adapter"))


def _run(spec_path: Path) -> int:
    spec, _ = read_trial_spec(spec_path)

    def create():  # import inside so a broken adapter becomes a failed TrialOutput
        return _adapter_module().create_adapter()

    output = run_trial(spec, create)
    write_trial_output(spec, output)
    if output["status"] != "ok":
        err = output["error"]
        print(f"greenrt_harness: trial {spec.trial_id} failed: {err['type']}: {err['message']}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _prepare(spec_path: Path) -> int:
    spec, _ = read_prepare_spec(spec_path)
    try:
        preparer = _adapter_module().create_preparer()
        document = prepare_model(spec, preparer)
    except WeightsPinError as error:
        print(f"greenrt_harness: prepare {spec.framework}/{spec.model} stopped: {error}", file=sys.stderr)
        print(json.dumps({"error": {"type": "WeightsPinError", "message": str(error)}}), file=sys.stderr)
        return EXIT_WEIGHTS_PIN
    except Exception as error:  # noqa: BLE001 - reported with a stable shape on stderr
        traceback.print_exc(file=sys.stderr)
        print(f"greenrt_harness: prepare {spec.framework}/{spec.model} failed: {type(error).__name__}: {error}",
              file=sys.stderr)
        print(json.dumps({"error": {"type": type(error).__name__, "message": str(error)}}), file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps({"prepared": str(spec.output_dir / "prepared.json"), "files": len(document["files"])}))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m greenrt_harness", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run one trial").add_argument("spec", type=Path)
    sub.add_parser("prepare", help="prepare one model").add_argument("spec", type=Path)
    sub.add_parser("describe", help="print the image's frameworks and providers as JSON")
    sub.add_parser("check", help="run a prepared model's ONNX export on this runtime (cpu) and compare with the "
                   "source framework's reference output; JSON on stdout").add_argument("model_dir", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return _run(args.spec)
        if args.command == "prepare":
            return _prepare(args.spec)
        if args.command == "check":
            module = _adapter_module()
            result = reference_check(args.model_dir, module.describe()["framework"], module.create_adapter)
            print(json.dumps(result))
            return EXIT_OK if result["withinTolerance"] else EXIT_FAILED
        print(json.dumps(describe_image(_adapter_module()), indent=2))
        return EXIT_OK
    except SpecError as error:
        print(f"greenrt_harness: {error}", file=sys.stderr)
        return EXIT_BAD_SPEC
    except Exception as error:  # noqa: BLE001 - last resort: stderr and exit 1
        traceback.print_exc(file=sys.stderr)
        print(f"greenrt_harness {args.command}: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
