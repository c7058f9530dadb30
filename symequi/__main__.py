"""``python -m symequi``: the same as the ``symequi`` command (see :mod:`symequi.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
