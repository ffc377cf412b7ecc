"""``modq webhooks serve``: Meta's comment webhooks, received, verified, stored and processed."""
