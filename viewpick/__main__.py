"""``python -m viewpick``: the ``viewpick`` command."""

import sys

from .cli import main

sys.exit(main())
