import time, pytest
from articles import samples
from articles.models import Photo, Article
from articles.backup import backup

@pytest.mark.django_db(transaction=True)
def test_probe(tmp_path, settings):
    t = time.time(); samples.load(); t1 = time.time()
    ps = list(Photo.objects.all()); print("photos", len(ps), "with renditions", sum(bool(p.renditions) for p in ps), "load", t1 - t)
    for p in ps:
        if not p.renditions: p.refresh_renditions()
    t2 = time.time(); print("renditions", t2 - t1)
    path = backup(tmp_path / "b"); print(path, path.stat().st_size, time.time() - t2)
    import tarfile; print(len(tarfile.open(path).getnames()))
