"""``python -m facade.sandbox``: see ``facade.sandbox._cli``."""

import sys

from facade.sandbox._cli import cli_main

raise SystemExit(cli_main(sys.argv[1:]))
