import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import search
from articles.imports import ndjson
from articles.imports.plaintext import ImportFailed, import_file


def text_files(paths):
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(path.rglob("*.txt"))
        else:
            yield path


class Command(BaseCommand):
    help = (
        "Nhập bài từ tệp văn bản (kèm tệp .json cùng tên nếu có; nhận tệp hoặc thư mục), "
        "hoặc với --format ndjson từ tệp NDJSON xuất từ hệ thống khác (mỗi dòng một bài)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="tệp .txt hoặc thư mục chứa chúng; với --format ndjson: tệp .ndjson")
        parser.add_argument("--format", choices=["text", "ndjson"], default="text", help="định dạng tệp (mặc định text)")

    def handle(self, *args, paths, format, **options):
        failed = self.import_ndjson(paths) if format == "ndjson" else {"tệp": self.import_texts(paths)}
        search.refresh_terms()
        if any(failed.values()):
            what = ", ".join(f"{count} {unit}" for unit, count in failed.items() if count)
            raise CommandError(f"Không nhập được: {what} (xem các dòng “Lỗi” ở trên).")

    def import_texts(self, paths):
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
        return failed

    def import_ndjson(self, paths):
        failed = {"tệp": 0, "dòng": 0}
        for path in map(Path, paths):
            if not path.is_file():
                failed["tệp"] += 1
                self.stderr.write(f"Lỗi: {path}: không có tệp này.")
                continue
            started = time.perf_counter()
            report = ndjson.import_file(path)
            seconds = time.perf_counter() - started
            for number, message in report.errors:
                self.stderr.write(f"Lỗi: {path} dòng {number}: {message}")
            for number, message in sorted(report.warnings):
                self.stderr.write(f"Cảnh báo: {path} dòng {number}: {message}")
            failed["dòng"] += len(report.errors)
            rate = (report.added + report.updated) / seconds if seconds else 0
            self.stdout.write(
                f"{path}: đã thêm {report.added} bài, cập nhật {report.updated} bài, "
                f"{len(report.errors)} dòng lỗi, trong {seconds:.1f} giây ({rate:.0f} bài/giây)."
            )
        return failed
