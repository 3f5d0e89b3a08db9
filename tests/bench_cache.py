"""`python -m tests.bench_cache`: how fast each candidate form of the cache reads back.

The real data/ copied 40 times (`synth.multiply_real`), loaded once; then each file's model in
the forms a cache could keep it in, written once and read back five times (best of five, in
this process, garbage collector off as in a command): the bytes, reading them into plain
values, and building the models from those. The plain values are the models packed as tuples
(`codec`): a date as its ordinal, an enum as its value; and, for comparison, pickle of the
models themselves and pydantic validating their JSON. msgspec and orjson are installed into a
folder of their own in the temporary folder, never into the locks. Usage:
python -m tests.bench_cache [--copies 40]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import marshal
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .synth import multiply_real

PACKAGES = Path(tempfile.gettempdir()) / "lcrplan-bench-cache-pkgs"
ROUNDS = 5


def best(work: Callable[[], object]) -> float:
    """The fastest of ROUNDS runs of `work`, in seconds of this process's time."""
    times = []
    for _ in range(ROUNDS):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=40)
    args = parser.parse_args()
    if not (PACKAGES / "msgspec").exists() or not (PACKAGES / "orjson").exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
            + ["--target", str(PACKAGES), "msgspec", "orjson"],
            check=True,
        )
    sys.path.insert(0, str(PACKAGES))
    import msgspec
    import orjson

    from lcrplan.core.validation import adapter
    from lcrplan.loader.load import Warnings, load
    from lcrplan.source.codec import Codec

    source = Path(__file__).resolve().parent.parent / "data"
    top = Path(tempfile.mkdtemp(prefix="lcrplan-bench-cache-"))
    root = multiply_real(source, top / "data", args.copies)
    loaded = load(root, dt.date(2026, 11, 21), use_cache=False, warnings=Warnings.none)
    models = [r.model for r in loaded.files]
    kinds = [type(m) for m in models]
    codec = Codec()
    packed = [codec.pack(m) for m in models]
    gc.disable()

    def build(values: list) -> list:
        return [codec.unpack(v) for v in values]

    rows = []
    forms: list[tuple[str, bytes, Callable[[bytes], object], bool]] = [
        ("marshal, packed tuples", marshal.dumps(packed), marshal.loads, True),
        ("pickle, packed tuples", pickle.dumps(packed, 5), pickle.loads, True),
        (
            "msgspec msgpack, packed tuples",
            msgspec.msgpack.encode(packed),
            _msgpack(msgspec),
            False,
        ),
        ("orjson, packed tuples", orjson.dumps(packed), orjson.loads, False),
        ("json (standard library), packed tuples", json.dumps(packed).encode(), json.loads, False),
    ]
    for name, data, read, as_tuples in forms:
        seconds = best(lambda read=read, data=data: read(data))
        whole = best(lambda read=read, data=data: build(read(data))) if as_tuples else None
        rows.append((name, len(data), seconds, whole))
    whole_models = pickle.dumps(models, 5)  # pickle builds the objects as it reads
    rows.append(
        ("pickle, the models", len(whole_models), None, best(lambda: pickle.loads(whole_models)))
    )
    start = time.process_time()
    adapters = {kind: adapter(kind) for kind in set(kinds)}
    built = time.process_time() - start
    dumped = [adapters[kind].dump_json(m) for kind, m in zip(kinds, models, strict=True)]

    def validate() -> None:
        for kind, data in zip(kinds, dumped, strict=True):
            adapters[kind].validate_json(data)

    rows.append(("pydantic validate_json, the models", sum(map(len, dumped)), None, best(validate)))
    shutil.rmtree(top, ignore_errors=True)
    print(table(rows, len(models), built))


def _msgpack(msgspec: object) -> Callable[[bytes], object]:
    decoder = msgspec.msgpack.Decoder()  # type: ignore[attr-defined]
    return decoder.decode  # type: ignore[no-any-return]


def table(rows: list[tuple], files: int, built: float) -> str:
    out = [
        f"{files:,} files; best of {ROUNDS}, seconds of CPU:",
        "",
        "| form | bytes | read into plain values | read and build the models |",
        "|---|---:|---:|---:|",
    ]
    for name, size, seconds, whole in rows:
        read = "" if seconds is None else f"{seconds:.3f}"
        both = "" if whole is None else f"{whole:.3f}"
        out.append(f"| {name} | {size:,} | {read} | {both} |")
    out.append("")
    out.append(f"pydantic's validators for the four kinds of file took {built:.3f} s to build.")
    out.append(
        "JSON and msgpack read arrays back as lists: the models are built from tuples (a"
        " union's branch is told by its type), so those would need a pass turning lists"
        " into tuples first."
    )
    return "\n".join(out)


if __name__ == "__main__":
    main()
