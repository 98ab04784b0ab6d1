"""`python -m lgurban.cli`: the same command as `lgurban`."""

from lgurban.cli import app

app()
