from django.core.management.base import BaseCommand

from articles.models import Photo


class Command(BaseCommand):
    help = "Tạo lại các bản ảnh theo kích thước (WebP, JPEG) cho mọi ảnh có tệp."

    def handle(self, *args, **options):
        photos = Photo.objects.exclude(image="").order_by("pk")
        done = 0
        for photo in photos.iterator(chunk_size=200):
            photo.refresh_renditions()
            done += 1
        self.stdout.write(self.style.SUCCESS(f"Đã tạo lại bản ảnh cho {done} ảnh."))
