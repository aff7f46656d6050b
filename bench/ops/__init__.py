"""One module per part of the system; each returns rows of the issue's table (rows not measured say why)."""
