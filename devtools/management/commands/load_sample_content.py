from django.core.management.base import BaseCommand

from devtools import samples


class Command(BaseCommand):
    help = "Nạp bài mẫu (bài gốc ANTD ngày 15/02/2017 và các bài viết cho dự án); chạy lại nhiều lần vẫn an toàn."

    def handle(self, *args, **options):
        articles = samples.load(self.stdout if options["verbosity"] > 1 else None)
        self.stdout.write(self.style.SUCCESS(f"Đã nạp {len(articles)} bài mẫu."))
