import time

from django.core.management.base import BaseCommand, CommandError

try:
    from devtools import synthetic
except ModuleNotFoundError as error:
    # `make run` installs requirements.txt only; Faker comes with requirements-test.txt.
    if (error.name or "").partition(".")[0] != "faker":
        raise
    synthetic = None


class Command(BaseCommand):
    help = "Tạo kho bài tổng hợp (tiếng Việt, ảnh dùng chung) bằng COPY, để đo hiệu năng."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="số bài cần thêm")
        parser.add_argument("--seed", type=int, default=2017, help="cùng seed, cùng kho bài")
        parser.add_argument(
            "--ndjson", metavar="TỆP", help="không ghi vào cơ sở dữ liệu: viết các bài ra tệp NDJSON để nhập thử"
        )

    def handle(self, *args, articles, seed, ndjson, **options):
        if synthetic is None:
            raise CommandError("make_archive cần gói Faker: chạy `make install-test` (cài requirements-test.txt).")
        start = time.perf_counter()
        if ndjson:
            with open(ndjson, "w", encoding="utf-8") as out:
                out.writelines(synthetic.export_lines(articles, seed))
            self.stdout.write(self.style.SUCCESS(f"Đã viết {articles} bài vào {ndjson}."))
            return
        pool = synthetic.photo_pool()
        synthetic.build(articles, seed=seed, stdout=self.stdout, photo_pool=pool)
        self.stdout.write(self.style.SUCCESS(f"Đã thêm {articles} bài trong {time.perf_counter() - start:.0f} giây."))
