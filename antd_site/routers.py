"""Reads to a PostgreSQL replica, when one is configured (DATABASE_REPLICA_URL).

Only anonymous readers' requests read from it (the middleware says which): an
editor who just saved must read their own write, which a replica may not have yet.
"""
import contextvars

from django.conf import settings

use_replica = contextvars.ContextVar("use_replica", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if use_replica.get() and "replica" in settings.DATABASES:
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, seen through two connections

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
