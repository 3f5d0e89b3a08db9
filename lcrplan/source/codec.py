"""Models as tuples of plain values and back: the compact form the cache keeps them in.

`marshal` writes and reads tuples, lists, strings and numbers in C. What it cannot hold is
turned into what it can: a date into its ordinal, an enum into its value, and each model into
a tuple of its class's number followed by its fields in order. The models are built back by
Python code generated once for each class from its fields' types (`Codec`): an object, its
fields stored in one unpacking, and a conversion only for the fields that need one. Nothing is
validated again: what is read back was validated before it was written, and the cache that
holds it is authenticated (`cache.py`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any, Literal, NamedTuple, get_args, get_origin

from ..core import models
from ..core.model_base import Model

Packed = tuple[Any, ...]
"""A model as a tuple: its class's number (`Codec.classes`), then its fields in order."""


def model_classes() -> tuple[type[Model], ...]:
    """Every model class, in a fixed order (a class's number in a packed tuple)."""
    found = {
        value
        for module in models.MODULES
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Model) and value is not Model
    }
    return tuple(sorted(found, key=lambda cls: cls.__name__))


class _Field(NamedTuple):
    """How one field is packed: `how` is plain, date, enum, model, models, union."""

    name: str
    how: str
    optional: bool = False
    enum: type[enum.Enum] | None = None
    """The enum of an enum field, or of a union's plain branch."""
    model: type[Model] | None = None
    """The one model class of a model or models field (None: several, told by the tag)."""


def _fields(cls: type[Model]) -> Iterator[_Field]:
    hints = typing.get_type_hints(cls)
    for spec in dataclasses.fields(cls):  # type: ignore[arg-type]
        yield _field(spec.name, hints[spec.name])


def _field(name: str, hint: Any) -> _Field:
    args = _union_args(hint)
    optional = type(None) in args
    args = [a for a in args if a is not type(None)]
    kinds = [a for a in args if isinstance(a, type) and issubclass(a, Model)]
    rest = [a for a in args if a not in kinds]
    if kinds and rest:
        found = _enum_of(rest)
        if found is None and not all(a in (str, float, int) for a in rest):
            raise TypeError(f"{name}: a union the cache cannot pack: {hint}")
        return _Field(name, "union", optional, found)
    if kinds:
        return _Field(name, "model", optional, model=kinds[0] if len(kinds) == 1 else None)
    if len(args) == 1 and get_origin(args[0]) is list:
        (item,) = get_args(args[0])
        items = [a for a in _union_args(item) if isinstance(a, type) and issubclass(a, Model)]
        if items:
            return _Field(name, "models", optional, model=items[0] if len(items) == 1 else None)
        if item in (str, float, int):
            return _Field(name, "plain", optional)
        raise TypeError(f"{name}: a list the cache cannot pack: {hint}")
    if args == [dt.date]:
        return _Field(name, "date", optional)
    found = _enum_of(args)
    if found is not None:
        return _Field(name, "enum", optional, found)
    if all(a in (str, float, int, bool) or get_origin(a) is Literal for a in args):
        return _Field(name, "plain", optional)
    raise TypeError(f"{name}: a type the cache cannot pack: {hint}")


def _union_args(hint: Any) -> list[Any]:
    if get_origin(hint) in (typing.Union, types.UnionType):
        return [a for arg in get_args(hint) for a in _union_args(arg)]
    return [hint]


def _enum_of(args: list[Any]) -> type[enum.Enum] | None:
    """The enum these types are (an enum, or a Literal of its members), else None."""
    values = [v for a in args for v in (get_args(a) if get_origin(a) is Literal else (a,))]
    if values and all(isinstance(v, type) and issubclass(v, enum.Enum) for v in values):
        return values[0]  # type: ignore[no-any-return]
    if values and all(isinstance(v, enum.Enum) for v in values):
        return type(values[0])
    return None


class Codec:
    """Packs models into tuples (`pack`) and builds them back (`unpack`), with code made for
    each class (`source`). The cache keeps that code compiled beside the data (`code`), so a
    run that reads the cache resolves no type: `Codec(code)`."""

    def __init__(self, code: types.CodeType | None = None) -> None:
        self.classes = model_classes()
        self.number = {cls: i for i, cls in enumerate(self.classes)}
        self.code = code or compile(self.source(), "<lcrplan.source.codec>", "exec")
        namespace: dict[str, Any] = {"new": object.__new__, "date": dt.date.fromordinal}
        namespace.update({f"C{i}": cls for i, cls in enumerate(self.classes)})
        namespace.update({f"E_{e.__name__}": e._value2member_map_ for e in _enums()})
        exec(self.code, namespace)
        self.builders: list[Callable[[Packed], Any]] = [
            namespace[f"build{i}"] for i in range(len(self.classes))
        ]
        self.packers: dict[type, Callable[[Any], Packed]] = {
            cls: namespace[f"pack{i}"] for i, cls in enumerate(self.classes)
        }
        namespace["B"] = self.builders
        namespace["P"] = self.packers

    def pack(self, model: Model) -> Packed:
        """`model` as a tuple of plain values."""
        return self.packers[type(model)](model)

    def unpack(self, packed: Packed) -> Any:
        """The model `pack` made `packed` of."""
        return self.builders[packed[0]](packed)

    def source(self) -> str:
        """The code of `build<n>` and `pack<n>` for every class `n`."""
        return "\n".join(self._class_source(i, cls) for i, cls in enumerate(self.classes))

    def _class_source(self, i: int, cls: type[Model]) -> str:
        targets, after, packed = ["_"], [], [str(i)]
        for n, f in enumerate(_fields(cls)):
            value = f"o.{f.name}"
            build, pack = self._convert(f, f"v{n}", value)
            if build is None:
                targets.append(value)
            else:
                targets.append(f"v{n}")
                after.append(f"    o.{f.name} = {build}")
            packed.append(pack)
        return "\n".join(
            [
                f"def build{i}(t):",
                f"    o = new(C{i})",
                f"    {', '.join(targets)}, = t",
                *after,
                "    return o",
                "",
                f"def pack{i}(o):",
                f"    return ({', '.join(packed)},)",
                "",
            ]
        )

    def _convert(self, f: _Field, raw: str, value: str) -> tuple[str | None, str]:
        """(how to build the field from `raw`, None to store it as read; how to pack
        `value`)."""
        if f.how == "plain":
            return None, value
        if f.how == "models":  # a list: an empty one is kept as read
            item_build, item_pack = self._one(f, "x"), self._pack_one(f, "x")
            return f"[{item_build} for x in {raw}] if {raw} else {raw}", (
                f"[{item_pack} for x in {value}]"
            )
        if f.how == "date":
            build, pack = f"date({raw})", f"{value}.toordinal()"
        elif f.how == "enum":
            assert f.enum is not None
            build, pack = f"E_{f.enum.__name__}[{raw}]", f"{value}._value_"
        elif f.how == "model":
            build, pack = self._one(f, raw), self._pack_one(f, value)
        else:  # a union of models and a plain value (a number, text, an enum)
            plain = f"E_{f.enum.__name__}[{raw}]" if f.enum else raw
            plain_pack = f"{value}._value_" if f.enum else value
            build = f"B[{raw}[0]]({raw}) if {raw}.__class__ is tuple else {plain}"
            pack = f"P[{value}.__class__]({value}) if {value}.__class__ in P else {plain_pack}"
        if f.optional:
            build = f"None if {raw} is None else {build}"
            pack = f"None if {value} is None else {pack}"
        return build, pack

    def _one(self, f: _Field, raw: str) -> str:
        if f.model is not None:
            return f"build{self.number[f.model]}({raw})"
        return f"B[{raw}[0]]({raw})"

    def _pack_one(self, f: _Field, value: str) -> str:
        if f.model is not None:
            return f"pack{self.number[f.model]}({value})"
        return f"P[{value}.__class__]({value})"


def _enums() -> set[type[enum.Enum]]:
    """Every enum a model's field can hold: those the models' modules name."""
    return {
        value
        for module in models.MODULES
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ != "enum"
    }
