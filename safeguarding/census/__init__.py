"""The Children in Need census return (statutory-rules.md §9), built from the case store for one census year."""
