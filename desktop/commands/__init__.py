"""One module per `policy-tracker` command (desktop/cli.py parses and dispatches).

Each command module has `add_<name>_command(command)`, which registers its subcommand through
cli.py's `command` factory (that adds the shared --db option), and `run_<name>(args, db_path)`,
which returns the exit code. No module here imports Qt (tests/test_layers.py).
"""
