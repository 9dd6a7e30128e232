import time

from django.core.management.base import BaseCommand

from articles import synthetic


class Command(BaseCommand):
    help = "Tạo kho bài tổng hợp (tiếng Việt, ảnh dùng chung) bằng COPY, để đo hiệu năng."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="số bài cần thêm")
        parser.add_argument("--seed", type=int, default=2017, help="cùng seed, cùng kho bài")

    def handle(self, *args, articles, seed, **options):
        start = time.perf_counter()
        pool = synthetic.photo_pool()
        synthetic.build(articles, seed=seed, stdout=self.stdout, photo_pool=pool)
        self.stdout.write(self.style.SUCCESS(f"Đã thêm {articles} bài trong {time.perf_counter() - start:.0f} giây."))
