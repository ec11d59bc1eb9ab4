"""``python -m sigconv``: the same command line as the ``sigconv`` script."""
import sys

from sigconv.cli import main

sys.exit(main())
