"""The editorial desk: the review status, take-down ("Gỡ lúc"), substantive updates,
corrections, editorial notes, and status transitions in the audit log."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# Take-down ("Gỡ lúc"): the tag table copies expires_at with the other columns of
# the public rule (publication.COPIED_COLUMNS), as migration 0010 did for deleted_at.
TAGGING = """
ALTER TABLE articles_article_tags ADD COLUMN expires_at timestamptz;
CREATE OR REPLACE FUNCTION articles_tagging_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('antd.bulk_load', true) = 'on' THEN
        RETURN NEW;
    END IF;
    SELECT a.published_at, a.status, a.deleted_at, a.expires_at
      INTO NEW.published_at, NEW.status, NEW.deleted_at, NEW.expires_at
      FROM articles_article a WHERE a.id = NEW.article_id;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION articles_article_sync_taggings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_article_tags SET published_at = NEW.published_at, status = NEW.status,
           deleted_at = NEW.deleted_at, expires_at = NEW.expires_at
     WHERE article_id = NEW.id;
    RETURN NULL;
END $$;
DROP TRIGGER articles_article_sync_taggings ON articles_article;
CREATE TRIGGER articles_article_sync_taggings AFTER UPDATE OF published_at, status, deleted_at, expires_at
    ON articles_article
    FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at)
    EXECUTE FUNCTION articles_article_sync_taggings();
"""

UNDO_TAGGING = """
DROP TRIGGER articles_article_sync_taggings ON articles_article;
CREATE TRIGGER articles_article_sync_taggings AFTER UPDATE OF published_at, status, deleted_at ON articles_article
    FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.status IS DISTINCT FROM NEW.status
                       OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
    EXECUTE FUNCTION articles_article_sync_taggings();
CREATE OR REPLACE FUNCTION articles_article_sync_taggings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_article_tags SET published_at = NEW.published_at, status = NEW.status, deleted_at = NEW.deleted_at
     WHERE article_id = NEW.id;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION articles_tagging_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('antd.bulk_load', true) = 'on' THEN
        RETURN NEW;
    END IF;
    SELECT a.published_at, a.status, a.deleted_at INTO NEW.published_at, NEW.status, NEW.deleted_at
      FROM articles_article a WHERE a.id = NEW.article_id;
    RETURN NEW;
END $$;
ALTER TABLE articles_article_tags DROP COLUMN expires_at;
"""

# Every change of status is a transition in the audit log (who, when, from, to,
# note), written where the revisions are, so that every writer is covered: the
# desk's buttons (newsroom/desk.py says why in antd.revision_kind and gives the
# note in antd.desk_note), the form, the list's actions, the importers, a shell.
RECORDING = """
CREATE OR REPLACE FUNCTION articles_record_revisions(articles bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    actor int := nullif(current_setting('antd.user_id', true), '')::int;
    why text := coalesce(nullif(current_setting('antd.revision_kind', true), ''), 'other');
    note text := coalesce(current_setting('antd.desk_note', true), '');
BEGIN
    WITH changed AS (
        SELECT c.article_id, c.content, newest.content AS previous
          FROM articles_revision_content c
          LEFT JOIN LATERAL (
              SELECT r.content FROM articles_revision r WHERE r.article_id = c.article_id ORDER BY r.id DESC LIMIT 1
          ) newest ON true
         WHERE c.article_id = ANY(articles) AND newest.content IS DISTINCT FROM c.content
    ), kept AS (
        INSERT INTO articles_revision (article_id, created_at, user_id, kind, content)
        SELECT article_id, clock_timestamp(), actor, why, content FROM changed ORDER BY article_id
    ), moves AS (
        SELECT article_id, left(content->>'title', 300) AS title,
               coalesce(previous->>'status', 'draft') AS before, content->>'status' AS after
          FROM changed
    )
    INSERT INTO articles_auditentry (at, user_id, action, article_id, title, note, from_status, to_status)
    SELECT clock_timestamp(), actor,
           CASE WHEN after = 'published' THEN 'publish'
                WHEN before = 'published' THEN 'unpublish'
                WHEN after = 'review' THEN 'submit'
                WHEN why = 'return' THEN 'return'
                ELSE 'withdraw' END,
           article_id, title, note, before, after
      FROM moves
     WHERE before <> after
     ORDER BY article_id;
END $$;
"""

UNDO_RECORDING = """
CREATE OR REPLACE FUNCTION articles_record_revisions(articles bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    actor int := nullif(current_setting('antd.user_id', true), '')::int;
    why text := coalesce(nullif(current_setting('antd.revision_kind', true), ''), 'other');
BEGIN
    WITH changed AS (
        SELECT c.article_id, c.content, newest.content AS previous
          FROM articles_revision_content c
          LEFT JOIN LATERAL (
              SELECT r.content FROM articles_revision r WHERE r.article_id = c.article_id ORDER BY r.id DESC LIMIT 1
          ) newest ON true
         WHERE c.article_id = ANY(articles) AND newest.content IS DISTINCT FROM c.content
    ), kept AS (
        INSERT INTO articles_revision (article_id, created_at, user_id, kind, content)
        SELECT article_id, clock_timestamp(), actor, why, content FROM changed ORDER BY article_id
    )
    INSERT INTO articles_auditentry (at, user_id, action, article_id, title, note)
    SELECT clock_timestamp(), actor, CASE WHEN content->>'status' = 'published' THEN 'publish' ELSE 'unpublish' END,
           article_id, left(content->>'title', 300), ''
      FROM changed
     WHERE (coalesce(previous->>'status', 'draft') = 'published') <> (content->>'status' = 'published')
     ORDER BY article_id;
END $$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0011_rich_body'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Correction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('published_at', models.DateTimeField(verbose_name='ngày đính chính')),
                ('text', models.TextField(verbose_name='nội dung đính chính')),
            ],
            options={
                'verbose_name': 'đính chính',
                'verbose_name_plural': 'đính chính',
                'ordering': ['published_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='EditorialNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='lúc')),
                ('text', models.TextField(verbose_name='ghi chú')),
            ],
            options={
                'verbose_name': 'ghi chú biên tập',
                'verbose_name_plural': 'ghi chú biên tập',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='expires_at',
            field=models.DateTimeField(blank=True, help_text='Để trống nếu bài luôn hiện. Đến lúc này bài tự rời mọi trang công khai; đường dẫn trả lời 410.', null=True, verbose_name='gỡ lúc'),
        ),
        migrations.AddField(
            model_name='article',
            name='modified_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='cập nhật nội dung lúc'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='from_status',
            field=models.CharField(blank=True, max_length=10, verbose_name='từ trạng thái'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='to_status',
            field=models.CharField(blank=True, max_length=10, verbose_name='sang trạng thái'),
        ),
        migrations.AlterField(
            model_name='article',
            name='status',
            field=models.CharField(choices=[('draft', 'Bản nháp'), ('review', 'Chờ duyệt'), ('published', 'Đã xuất bản')], default='draft', max_length=10, verbose_name='trạng thái'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('publish', 'Xuất bản'), ('unpublish', 'Gỡ xuất bản'), ('trash', 'Chuyển vào thùng rác'), ('untrash', 'Khôi phục từ thùng rác'), ('purge', 'Xóa vĩnh viễn'), ('restore', 'Khôi phục phiên bản'), ('submit', 'Gửi duyệt'), ('withdraw', 'Rút về nháp'), ('return', 'Trả lại')], max_length=20, verbose_name='việc'),
        ),
        migrations.AlterField(
            model_name='revision',
            name='kind',
            field=models.CharField(choices=[('initial', 'Bản có sẵn'), ('edit', 'Sửa trong trang quản trị'), ('publish', 'Xuất bản'), ('unpublish', 'Gỡ xuất bản'), ('import', 'Nhập bài'), ('restore', 'Khôi phục phiên bản'), ('submit', 'Gửi duyệt'), ('withdraw', 'Rút về nháp'), ('return', 'Trả lại'), ('other', 'Thay đổi khác')], max_length=20, verbose_name='cách sửa'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(models.F('expires_at'), condition=models.Q(('deleted_at__isnull', True), ('status', 'published'), ('expires_at__isnull', False)), name='article_public_by_expiry'),
        ),
        migrations.AddField(
            model_name='correction',
            name='article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='articles.article', verbose_name='bài viết'),
        ),
        migrations.AddField(
            model_name='correction',
            name='created_by',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người viết'),
        ),
        migrations.AddField(
            model_name='editorialnote',
            name='article',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='editorial_notes', to='articles.article', verbose_name='bài viết'),
        ),
        migrations.AddField(
            model_name='editorialnote',
            name='user',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người viết'),
        ),
        migrations.AddIndex(
            model_name='correction',
            index=models.Index(models.OrderBy(models.F('published_at'), descending=True), name='correction_by_time'),
        ),
        migrations.RunSQL(TAGGING, UNDO_TAGGING),
        migrations.RunSQL(RECORDING, UNDO_RECORDING),
    ]
