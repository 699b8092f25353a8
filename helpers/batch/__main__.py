"""``python -m helpers.batch``: the batch runner's command line."""

import sys

from helpers.batch.cli import main

sys.exit(main())
