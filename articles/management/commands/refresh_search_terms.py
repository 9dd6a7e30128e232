from django.core.management.base import BaseCommand

from articles import search


class Command(BaseCommand):
    help = "Tạo lại bảng từ vựng dùng để gợi ý “Có phải bạn muốn tìm” (chạy sau khi nhập nhiều bài)."

    def handle(self, *args, **options):
        count = search.refresh_terms()
        self.stdout.write(self.style.SUCCESS(f"Đã có {count} từ cho gợi ý tìm kiếm."))
