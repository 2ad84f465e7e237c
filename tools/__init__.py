"""Developer tools that are not part of the installed packages (run as `python -m tools.…`)."""
