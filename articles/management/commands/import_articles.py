from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import search
from articles.importer import ImportFailed, import_file


def text_files(paths):
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(path.rglob("*.txt"))
        else:
            yield path


class Command(BaseCommand):
    help = "Nhập bài từ tệp văn bản (kèm tệp .json cùng tên nếu có). Nhận tệp hoặc thư mục."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="tệp .txt hoặc thư mục chứa chúng")

    def handle(self, *args, paths, **options):
        failed = 0
        for path in text_files(paths):
            try:
                if not path.is_file():
                    raise ImportFailed("không có tệp này.")
                article, created = import_file(path)
            except ImportFailed as error:
                failed += 1
                self.stderr.write(f"Lỗi: {path}: {error}")
                continue
            verb = "Đã thêm" if created else "Đã cập nhật"
            self.stdout.write(f"{verb}: {path} → {article.get_absolute_url()}")
        search.refresh_terms()
        if failed:
            raise CommandError(f"{failed} tệp không nhập được (xem các dòng “Lỗi” ở trên).")
