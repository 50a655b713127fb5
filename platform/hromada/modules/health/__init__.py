"""A health check for load balancers, and the benchmark's baseline: one primary-key query, a tiny answer."""
