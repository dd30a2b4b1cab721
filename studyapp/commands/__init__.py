"""Subcommands of features, each module adding its own with add_commands()."""
