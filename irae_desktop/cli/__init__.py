"""The command line, one module per subcommand; `main` also starts the GUI."""
