"""`python -m classifiers train | evaluate | predict` (see `classifiers/README.md`)."""

from __future__ import annotations

import sys

from classifiers.cli import main

if __name__ == "__main__":
    sys.exit(main())
