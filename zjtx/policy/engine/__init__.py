"""The pure policy engine: parameters, rules and awards on Polars frames. Imports no Django."""
