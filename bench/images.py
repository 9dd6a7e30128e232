"""Benchmark: the ten renditions (five widths, WebP and JPEG) of a 12-megapixel JPEG.

Compares, on one core: our pipeline (articles.images), pyvips's thumbnail making
the same ten files on one thread, and a naive Pillow resize from full size for
each file. Each contender runs in a fresh process so peak memory is its own.
Run with `make bench-images`; prints a markdown table and writes bench/images.md.
"""
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "cache"
SOURCE = CACHE / "photo-12mp.jpg"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def make_source():
    """A 4000×3000 JPEG with photographic texture (noise over gradients), made once."""
    from PIL import Image, ImageFilter

    if SOURCE.exists():
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    width, height = 4000, 3000
    noise = Image.effect_noise((width, height), 60).filter(ImageFilter.GaussianBlur(1.2))
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
    image.save(SOURCE, "JPEG", quality=92)


def ours(data):
    sys.path.insert(0, str(ROOT))
    from articles.photos import images

    sizes = 0
    for width, height, image in images.scaled_versions(data):
        for fmt, options in (("WEBP", images.WEBP_OPTIONS), ("JPEG", images.JPEG_OPTIONS)):
            buffer = io.BytesIO()
            image.save(buffer, fmt, **options)
            sizes += buffer.tell()
    return sizes


def naive(data):
    from PIL import Image

    sys.path.insert(0, str(ROOT))
    from articles.photos.images import WIDTHS

    sizes = 0
    for width in WIDTHS:
        for fmt in ("WEBP", "JPEG"):
            image = Image.open(io.BytesIO(data)).convert("RGB")
            image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            image.save(buffer, fmt, quality=80)
            sizes += buffer.tell()
    return sizes


def vips(data):
    import pyvips

    sys.path.insert(0, str(ROOT))
    from articles.photos.images import WIDTHS

    sizes = 0
    for width in WIDTHS:
        for suffix in (".webp[Q=78,effort=2]", ".jpg[Q=82]"):
            thumb = pyvips.Image.thumbnail_buffer(data, width)
            sizes += len(thumb.write_to_buffer(suffix))
    return sizes


CONTENDERS = {"ours": ours, "pyvips": vips, "naive": naive}


def run_one(name):
    """In a child process: time the contender RUNS times, report peak memory."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    data = SOURCE.read_bytes()
    CONTENDERS[name](data)  # warm-up: imports, caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        size = CONTENDERS[name](data)
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"name": name, "median": statistics.median(times), "best": min(times), "peak_mb": peak_mb, "bytes": size}))


def main():
    make_source()
    env = {**os.environ, "VIPS_CONCURRENCY": "1", "OMP_NUM_THREADS": "1"}
    results = []
    for name in CONTENDERS:
        out = subprocess.run([sys.executable, __file__, name], capture_output=True, text=True, env=env, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    ours_time = results[0]["median"]
    lines = [
        "| pipeline (10 files: 5 widths × WebP, JPEG; one core) | median s | best s | × ours | peak MB | output KB |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    labels = {"ours": "articles.images (draft decode, cascade)", "pyvips": "pyvips thumbnail, 1 thread", "naive": "naive Pillow, full-size resize each"}
    for r in results:
        lines.append(
            f"| {labels[r['name']]} | {r['median']:.3f} | {r['best']:.3f} | {r['median'] / ours_time:.2f} | {r['peak_mb']:.0f} | {r['bytes'] // 1024} |"
        )
    table = "\n".join(lines)
    print(table)
    (ROOT / "bench" / "images.md").write_text(f"12-megapixel JPEG (4000×3000), {RUNS} runs each, median.\n\n{table}\n")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run_one(sys.argv[1])
    else:
        main()
