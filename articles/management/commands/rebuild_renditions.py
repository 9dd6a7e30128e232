from django.core.management.base import BaseCommand
from PIL import UnidentifiedImageError

from articles.models import Author, EventThread, Photo


class Command(BaseCommand):
    help = "Tạo lại các bản ảnh theo kích thước (WebP, JPEG, AVIF) cho mọi ảnh có tệp, ảnh chân dung tác giả và ảnh bìa dòng sự kiện."

    def handle(self, *args, **options):
        done = failed = 0
        pictured = [
            ("ảnh", Photo.objects.exclude(image="")),
            ("ảnh chân dung tác giả", Author.objects.exclude(photo="")),
            ("ảnh bìa dòng sự kiện", EventThread.objects.exclude(cover="")),
        ]
        for label, records in pictured:
            for record in records.order_by("pk").iterator(chunk_size=200):
                try:
                    record.refresh_renditions()
                except (OSError, UnidentifiedImageError) as error:
                    # One lost file must not leave every later photo without renditions.
                    failed += 1
                    self.stderr.write(f"Lỗi: {label} #{record.pk} ({record.picture_file.name}): {error}")
                    continue
                done += 1
        self.stdout.write(self.style.SUCCESS(f"Đã tạo lại bản ảnh cho {done} ảnh."))
        if failed:
            self.stdout.write(self.style.WARNING(f"{failed} ảnh không tạo được (xem các dòng “Lỗi”)."))
