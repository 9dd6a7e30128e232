"""Move pending view counts from Redis to PostgreSQL ("Đọc nhiều"). The beacon's
own requests flush too, but only when readers come: run this every minute from
cron so that a restart of Redis never loses more than a minute of counts.

Each flush also deletes the hourly rows older than the lists need
(counting.KEPT_DAYS). Without Redis there is nothing to flush, so nothing
purges either: `--purge` deletes them whatever, run it from cron there."""
from django.core.management.base import BaseCommand

from articles.reads import counting


class Command(BaseCommand):
    help = (
        "Ghi lượt đọc đang chờ trong Redis vào PostgreSQL (tối đa một lần mỗi phút) và xóa lượt đọc theo giờ "
        f"cũ hơn {counting.KEPT_DAYS} ngày."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--purge", action="store_true",
            help=f"Xóa lượt đọc theo giờ cũ hơn {counting.KEPT_DAYS} ngày ngay, kể cả khi không dùng Redis.",
        )

    def handle(self, *args, **options):
        if counting.redis_client() is None:
            self.stdout.write("Không dùng Redis: lượt đọc đã được ghi thẳng vào PostgreSQL.")
        else:
            moved = counting.flush()
            self.stdout.write(f"Đã ghi {moved} lượt đọc vào PostgreSQL.")
        if options["purge"]:
            deleted = counting.purge()
            self.stdout.write(f"Đã xóa {deleted} dòng lượt đọc theo giờ cũ hơn {counting.KEPT_DAYS} ngày.")
