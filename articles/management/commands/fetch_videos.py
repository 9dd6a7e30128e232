from django.core.management.base import BaseCommand

from articles import oembed


class Command(BaseCommand):
    help = "Lấy lại tiêu đề và ảnh đại diện của các video trong bài chưa lấy được (hoặc mọi video, với --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Lấy lại cả những video đã có thông tin.")

    def handle(self, *args, **options):
        failed = 0
        urls = oembed.pending(everything=options["all"])
        for url in urls:
            video = oembed.fetch(url)
            if video.error:
                failed += 1
                self.stderr.write(f"Lỗi: {url}: {video.error}")
        self.stdout.write(self.style.SUCCESS(f"Đã hỏi lại {len(urls)} video, {len(urls) - failed} thành công."))
        if failed:
            self.stdout.write(self.style.WARNING(f"{failed} video chưa lấy được (xem các dòng “Lỗi”); chạy lại sau."))
