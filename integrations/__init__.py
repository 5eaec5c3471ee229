"""Integrations with the outside world (Slack, email, OParl), each with a fake beside it."""
