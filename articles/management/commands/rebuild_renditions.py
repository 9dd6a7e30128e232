from django.core.management.base import BaseCommand
from PIL import UnidentifiedImageError

from articles.models import Photo


class Command(BaseCommand):
    help = "Tạo lại các bản ảnh theo kích thước (WebP, JPEG, AVIF) cho mọi ảnh có tệp."

    def handle(self, *args, **options):
        done = failed = 0
        for photo in Photo.objects.exclude(image="").order_by("pk").iterator(chunk_size=200):
            try:
                photo.refresh_renditions()
            except (OSError, UnidentifiedImageError) as error:
                # One lost file must not leave every later photo without renditions.
                failed += 1
                self.stderr.write(f"Lỗi: ảnh #{photo.pk} ({photo.image.name}): {error}")
                continue
            done += 1
        self.stdout.write(self.style.SUCCESS(f"Đã tạo lại bản ảnh cho {done} ảnh."))
        if failed:
            self.stdout.write(self.style.WARNING(f"{failed} ảnh không tạo được (xem các dòng “Lỗi”)."))
