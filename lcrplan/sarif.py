"""An old name of a module that moved (below), kept for the modules that still import it by
that name: this module is that module."""

import sys
from typing import TYPE_CHECKING

from .emit import problems as _moved

if TYPE_CHECKING:
    from .emit.problems import *  # noqa: F403

sys.modules[__name__] = _moved
