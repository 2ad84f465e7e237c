"""``make bench``: the registry's speed figures (parsing, normalising, the refresh, national scale), each
against a baseline measured in the same run."""
