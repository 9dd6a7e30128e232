from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (tệp .tar do lệnh backup tạo) vào cơ sở dữ liệu đang cấu hình và MEDIA_ROOT. "
        "Kiểm tra mọi tổng kiểm tra trước; chỉ khôi phục vào cơ sở dữ liệu trống và thư mục ảnh trống."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="TỆP_SAO_LƯU", help="tệp antd-backup-….tar cần khôi phục")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore(archive)
        except BackupError as error:
            raise CommandError(f"Khôi phục thất bại: {error}") from error
        counts = manifest.get("counts", {})
        self.stdout.write(self.style.SUCCESS(
            f"Đã khôi phục bản sao lưu lúc {manifest.get('created')}: "
            f"{counts.get('articles', '?')} bài viết, {counts.get('photos', '?')} ảnh, "
            f"{counts.get('media_files', '?')} tệp trong MEDIA_ROOT."
        ))
        self.stdout.write(
            "Nếu mã nguồn mới hơn bản sao lưu, chạy tiếp: python manage.py migrate"
        )
