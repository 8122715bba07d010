"""One module per kubectl verb; each registers its handler with ``labsim.kubectl.cli.command``."""
