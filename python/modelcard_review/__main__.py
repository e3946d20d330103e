"""``python -m modelcard_review ARGS``: runs the binary with ARGS, its exit code kept."""

from __future__ import annotations

import os
import sys

from modelcard_review import find_bin


def main() -> None:
    binary = find_bin()
    args = ["modelcard-review", *sys.argv[1:]]
    if sys.platform == "win32":
        # Windows has no exec: run it and hand back its exit code.
        import subprocess

        sys.exit(subprocess.run([binary, *sys.argv[1:]]).returncode)
    os.execv(binary, args)


if __name__ == "__main__":
    main()
