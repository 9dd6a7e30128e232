from django.core.management.base import BaseCommand, CommandError

from articles.newsroom import trash


class Command(BaseCommand):
    help = (
        f"Xóa vĩnh viễn các bài đã ở trong thùng rác quá {trash.TRASH_DAYS} ngày, cùng ảnh, thẻ, phiên bản "
        "và các tệp ảnh của chúng (chạy mỗi ngày)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=trash.TRASH_DAYS,
            help=f"Xóa các bài chuyển vào thùng rác trước đó bao nhiêu ngày (mặc định {trash.TRASH_DAYS}).",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("Số ngày phải từ 0 trở lên.")
        count = trash.purge(older_than_days=days)
        self.stdout.write(self.style.SUCCESS(f"Đã xóa vĩnh viễn {count} bài ở trong thùng rác quá {days} ngày."))
