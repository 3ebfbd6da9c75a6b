"""``python -m portflow`` runs the ``portflow`` command."""

from portflow._cli import main

main()
