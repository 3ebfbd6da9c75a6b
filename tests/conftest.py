"""Shared test configuration: hypothesis profiles.

``ci`` (selected when CI=true) runs more examples and never uses a deadline,
because shared CI machines are noisy; ``dev`` keeps the local loop fast.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")
