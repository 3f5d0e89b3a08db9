"""The command line: reads argv, the environment and the clock, prints, and picks the exit code.

Exit codes: 0 ok; 1 problems found (invalid data, `--fail`, `--strict` or `--fail-on-goalpost`
tripped, output that could not be written); 2 usage error; 3 internal error, a bug in lcrplan
(`LCRPLAN_DEBUG=1` shows its traceback).

`run(argv)` is the library entry point: it returns the exit code and leaves the process as it
found it. `main()`, the console script, alone ends the process (see its docstring).
"""

from __future__ import annotations

import contextlib
import copy
import gc
import io
import os
import sys

import typer

# Commands live in modules by what they do; importing them registers them on `app`.
from . import cycle, edit, read, report, review, site  # noqa: F401
from .app import RETAINED, app

__all__ = ["app", "main", "run"]


def run(argv: list[str] | None = None) -> int:
    """Run one command line (default: `sys.argv[1:]`) and return its exit code.

    Safe inside another program or a test: it never exits, and changes no process-wide state
    (the garbage collector, the exception hook, the standard streams).
    """
    # Typer's own `app()` would install its exception hook for the rest of the process.
    command = typer.main.get_command(_narrowed(sys.argv[1:] if argv is None else argv))
    try:
        command.main(args=argv)
    except SystemExit as exc:
        return _exit_code(exc.code)
    return 0


def _narrowed(args: list[str]) -> typer.Typer:
    """`app` with only the command that `args` start with, if they name one: typer builds the
    options of every command it holds when it makes the group (about a millisecond each, most
    of a command's start-up after imports), and one command runs. Anything else (`--help`, a
    mistyped name, which is then given the nearest) gets every command."""
    if not args:
        return app
    chosen = [c for c in app.registered_commands if _name(c) == args[0]]
    if len(chosen) != 1:
        return app
    narrow = copy.copy(app)
    narrow.registered_commands = chosen
    return narrow


def _name(info: typer.models.CommandInfo) -> str:
    return info.name or typer.main.get_command_name(info.callback.__name__)  # type: ignore[union-attr]


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")  # the sys.exit("message") convention
    return 1


def main() -> None:
    """Entry point of the `lcrplan` script and `python -m lcrplan`: `run`, then end the process.

    A command runs once and its process ends: the cyclic garbage collector would only rescan
    the many objects a run builds (they form no cycles worth collecting), and freeing them one
    by one at exit is slower than the operating system reclaiming the memory at once (see
    BENCHMARKS.md). So the collector is off, the data a command loads is kept (`RETAINED`),
    and the process ends with `os._exit` once its output is flushed; every file a command
    writes is closed (and renamed) before `run` returns. `LCRPLAN_FAST_EXIT=0` does none of
    this and ends the usual way (atexit handlers run, coverage is measured).
    """
    fast = os.environ.get("LCRPLAN_FAST_EXIT", "1") != "0"
    if fast:
        gc.disable()
        RETAINED.set([])  # the loaded data lives until os._exit
    code = _flush_output(run())
    if fast:
        os._exit(code)
    sys.exit(code)


def _flush_output(code: int) -> int:
    """Flush stdout and stderr; the exit code, 1 when the output could not be written."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`lcrplan status | head`): not an error
        _discard_stdout()
    except OSError as exc:  # a full disk, a closed terminal
        _discard_stdout()
        if code == 0:  # else the failure has been reported (perhaps this one, by `run`)
            with contextlib.suppress(OSError):
                sys.stderr.write(f"lcrplan: cannot write the output: {exc.strerror or exc}\n")
            code = 1
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    return code


def _discard_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush has nowhere to fail."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
