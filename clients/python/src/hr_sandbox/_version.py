"""The package's version: the hr-sandbox server version it is released with (a test keeps it
equal to Cargo.toml's)."""

__version__ = "0.1.0"
