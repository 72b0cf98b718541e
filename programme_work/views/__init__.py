"""Views of the process work: thin, every object found through a scoped selector (→ 404)."""
