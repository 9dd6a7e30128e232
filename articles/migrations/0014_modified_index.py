"""The sitemap index's newest lastmod is what readers are told changed last (a
substantive update or a correction, else the publication), no longer every
save's updated_at: its index follows (sitemaps.ArticleSitemap.latest)."""
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_videos'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='article',
            name='article_public_by_change',
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(models.OrderBy(django.db.models.functions.comparison.Coalesce('modified_at', 'published_at'), descending=True), condition=models.Q(('deleted_at__isnull', True), ('status', 'published')), name='article_public_by_modification'),
        ),
    ]
