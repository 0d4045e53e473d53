"""`python -m audit` runs the same command line as the `audit` script."""

from audit.cli.app import main

main()
