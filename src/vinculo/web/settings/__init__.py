"""Settings split by purpose: base (shared), dev (local demo), test, prod (secrets from the environment)."""
