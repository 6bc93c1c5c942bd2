#!/usr/bin/env python
"""Django's command-line utility for zjtx."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.allocator import configure

    configure()  # before anything loads Polars
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
