"""The library's use cases, one function each: what a script or a notebook calls (the public
API, `lcrplan/__init__.py`) and what every command of the command line calls.

Every function takes its dates as arguments (`today`, `as_of`): none reads the clock. Reading a
data folder writes nothing into it unless asked (`cache=True`); the garbage collector is left as
it was. A use case that cannot go on raises `LcrplanError` (the problems, each with its place)
or `BadArgument` (an argument that names nothing, or that the data does not allow).
"""
