"""Move pending view counts from Redis to PostgreSQL ("Đọc nhiều"). The beacon's
own requests flush too, but only when readers come: run this every minute from
cron so that a restart of Redis never loses more than a minute of counts."""
from django.core.management.base import BaseCommand

from articles.reads import counting


class Command(BaseCommand):
    help = "Ghi lượt đọc đang chờ trong Redis vào PostgreSQL (tối đa một lần mỗi phút)."

    def handle(self, *args, **options):
        if counting.redis_client() is None:
            self.stdout.write("Không dùng Redis: lượt đọc đã được ghi thẳng vào PostgreSQL.")
            return
        moved = counting.flush()
        self.stdout.write(f"Đã ghi {moved} lượt đọc vào PostgreSQL.")
