"""``make bench``: the speed figures of DESIGN §7, each against a baseline measured in the same run."""
