import time

from django.core.management.base import BaseCommand

from devtools import synthetic


class Command(BaseCommand):
    help = "Tạo kho bài tổng hợp (tiếng Việt, ảnh dùng chung) bằng COPY, để đo hiệu năng."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="số bài cần thêm")
        parser.add_argument("--seed", type=int, default=2017, help="cùng seed, cùng kho bài")
        parser.add_argument(
            "--ndjson", metavar="TỆP", help="không ghi vào cơ sở dữ liệu: viết các bài ra tệp NDJSON để nhập thử"
        )

    def handle(self, *args, articles, seed, ndjson, **options):
        start = time.perf_counter()
        if ndjson:
            with open(ndjson, "w", encoding="utf-8") as out:
                out.writelines(synthetic.export_lines(articles, seed))
            self.stdout.write(self.style.SUCCESS(f"Đã viết {articles} bài vào {ndjson}."))
            return
        pool = synthetic.photo_pool()
        synthetic.build(articles, seed=seed, stdout=self.stdout, photo_pool=pool)
        self.stdout.write(self.style.SUCCESS(f"Đã thêm {articles} bài trong {time.perf_counter() - start:.0f} giây."))
