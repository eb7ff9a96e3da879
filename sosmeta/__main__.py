"""`python -m sosmeta`: the command line, under the same name as the console script."""

from sosmeta.cli import main

main(prog_name="sosmeta")
