""""Đọc nhiều": what readers read most, in the last 24 hours and 7 days.

A reader's page does no counting: it carries its article's id, and our script
(static/js/reads.js) sends it with navigator.sendBeacon once the page is shown,
also when the page came from the page cache or a CDN. The endpoint
(views/reads.py) takes only a public article's id, from a browser that is not a
known bot, and sets no cookie (counting.py). Counts go to per-hour Redis hashes,
flushed to PostgreSQL's HourlyReads at most once a minute; without Redis they
go to PostgreSQL at once. The lists (ranking.py) add what is still pending to
what was flushed and are kept a minute.
"""
