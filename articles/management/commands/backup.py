from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, backup, default_destination


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ kho: cơ sở dữ liệu (pg_dump) và mọi tệp ảnh trong MEDIA_ROOT, "
        "vào một tệp antd-backup-YYYYmmdd-HHMMSS.tar kèm manifest.json có tổng kiểm tra SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", "-o", metavar="THƯ_MỤC",
            help=f"thư mục lưu bản sao lưu (mặc định: {default_destination()})",
        )

    def handle(self, *args, output=None, **options):
        try:
            path = backup(output)
        except BackupError as error:
            raise CommandError(f"Sao lưu thất bại: {error}") from error
        self.stdout.write(str(path))
