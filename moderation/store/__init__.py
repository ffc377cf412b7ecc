"""Storage: SQLModel tables, the ledger, migrations. The only package that knows SQL."""
