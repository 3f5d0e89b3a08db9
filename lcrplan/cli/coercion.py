"""Command-line values converted as typer converts them, without importing pydantic.

typer 0.29 converts each option's value through a pydantic TypeAdapter that it builds when the
command runs, so every command paid for importing pydantic and building an adapter per option
(BENCHMARKS.md), even one that needs nothing else of pydantic. The options here are of a few
plain types (text, paths, whole numbers, choices from an enum, lists of those), so `light`
gives each option a converter that does what typer's adapter does when the value is well
formed. Anything else (a value it would refuse, a type or setting not covered here) goes to
typer's own converter, which words the error exactly as before. A typer without this machinery
(`_runtime_param`) is left as it is. The commands' classes (`cli.app`) pass every parameter
through `lighten` when click asks for them, the help option too.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args, get_origin


class _Unsure(Exception):
    """A value (or an option) for typer's own converter."""


def lighten(params: list[Any]) -> list[Any]:
    """`params` (a command's, as click lists them), each given a converter without pydantic
    where typer would build one with it."""
    for param in params:
        if getattr(param, "_runtime_param", 0) is None and hasattr(param, "type_descriptor"):
            convert = _converter(param.type_descriptor)
            if convert is not None:
                param._runtime_param = _Light(convert)
    return params


class _Light:
    """typer's contract for a parameter's conversion: `coerce(value, param, ctx)`."""

    __slots__ = ("convert",)

    def __init__(self, convert: Callable[[Any, Any], Any]) -> None:
        self.convert = convert

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        try:
            if many and not isinstance(value, (list, tuple)):
                raise _Unsure
            return self.convert(value, ctx)
        except _Unsure:
            param._runtime_param = None  # typer's own: it builds its converter now
            return param.get_runtime_param().coerce(value, param=param, ctx=ctx)


def _converter(descriptor: Any) -> Callable[[Any, Any], Any] | None:
    """A converter for the descriptor's type, or None (typer's own then)."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
        return None
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        one = _leaf(item, info)
        if one is None:
            return None
        return lambda value, ctx: [one(v, ctx) for v in value]
    return _leaf(annotation, info)


def _leaf(annotation: Any, info: Any) -> Callable[[Any, Any], Any] | None:
    if annotation is bool:
        return _flag
    if annotation is str:
        return _text
    if annotation is int:
        return _whole(info.min, info.max) if not info.clamp else None
    if annotation is Path and _plain_path(info):
        return _path(bool(info.readable))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _choice(annotation) if info.case_sensitive else None
    return None


def _flag(value: Any, ctx: Any) -> bool:
    if type(value) is not bool:
        raise _Unsure
    return value


def _text(value: Any, ctx: Any) -> str:
    if type(value) is not str:
        raise _Unsure
    return value


def _whole(low: float | None, high: float | None) -> Callable[[Any, Any], int]:
    def whole(value: Any, ctx: Any) -> int:
        if type(value) is str and value.isascii() and value.isdigit():
            value = int(value)
        if type(value) is not int:
            raise _Unsure
        if (low is not None and value < low) or (high is not None and value > high):
            raise _Unsure
        return value

    return whole


def _plain_path(info: Any) -> bool:
    """A path option with no checks but typer's default (readable, when it exists)."""
    return (
        info.path_type is None
        and info.file_okay
        and info.dir_okay
        and not (info.exists or info.writable or info.resolve_path or info.allow_dash)
    )


def _path(readable: bool) -> Callable[[Any, Any], Path]:
    def path(value: Any, ctx: Any) -> Path:
        if type(value) is not str or not value:
            raise _Unsure
        found = Path(value)
        try:
            os.stat(found)
        except OSError:
            return found
        except ValueError:  # a NUL in the name
            raise _Unsure from None
        if readable and not os.access(found, os.R_OK):
            raise _Unsure
        return found

    return path


def _choice(kind: type[enum.Enum]) -> Callable[[Any, Any], enum.Enum]:
    members = {str(member.value): member for member in kind}

    def choice(value: Any, ctx: Any) -> enum.Enum:
        if isinstance(value, kind):
            return value
        if type(value) is not str or getattr(ctx, "token_normalize_func", None) is not None:
            raise _Unsure
        found = members.get(value)
        if found is None:
            raise _Unsure
        return found

    return choice
