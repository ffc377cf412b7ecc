"""``modq run``: the worker process.

* ``run``: start and stop (signals, the log, one worker per SQLite database or many on PostgreSQL);
* ``scheduler``: which jobs run when (APScheduler 3, its job table on the engine's database);
* ``jobs``: the jobs themselves, each one call into the service;
* ``cluster``: workers sharing a PostgreSQL database through leases;
* ``lock``: the one-worker lock for SQLite;
* ``log``: JSON log lines without comment text or tokens.

What the jobs do lives in the service (``moderation.services``); this package only decides when and where.
"""
