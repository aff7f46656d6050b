"""`make bench`: the registry's benchmark suite, every product figure measured beside its floor in the same run."""
