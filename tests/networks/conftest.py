"""The workshop tests' people (a lead, a facilitator, a board member, another place's lead and
a network viewer) serve the network pages' permission tests too."""

from tests.workshop.conftest import people, round_  # noqa: F401  fixtures used by name
