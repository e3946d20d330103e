"""modelcard-review: checks model cards against a model hub's template.

The wheel installs the native ``modelcard-review`` binary beside Python's other
scripts; ``find_bin()`` says where, for callers that run it with ``subprocess``.
"""

from __future__ import annotations

import os
import sys
import sysconfig

__all__ = ["find_bin"]


def _user_scheme() -> str:
    if sys.version_info >= (3, 10):
        return sysconfig.get_preferred_scheme("user")
    if os.name == "nt":
        return "nt_user"
    if sys.platform == "darwin" and getattr(sys, "_framework", None):
        return "osx_framework_user"
    return "posix_user"


def find_bin() -> str:
    """The path of the installed ``modelcard-review`` binary.

    Looked for where pip puts scripts: the environment's scripts folder, the user's
    (``pip install --user``), and ``bin`` beside the package (``pip install --target``).
    """
    name = "modelcard-review" + (sysconfig.get_config_var("EXE") or "")
    places = [
        sysconfig.get_path("scripts"),
        sysconfig.get_path("scripts", scheme=_user_scheme()),
        os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin"),
    ]
    for folder in places:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError(
        f"{name} is not installed beside this package (looked in {', '.join(places)}); "
        "reinstall it with `pip install --force-reinstall modelcard-review`"
    )
