FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scrapers ./scrapers
COPY migrations ./migrations
RUN pip install --disable-pip-version-check . \
    && useradd --create-home --uid 10001 sambilan \
    && mkdir -p /data && chown sambilan /data

USER sambilan
WORKDIR /data
# SQLite lives in /data unless SAMBILAN_DATABASE__URL points at PostgreSQL.
ENV SAMBILAN_DATABASE__URL=sqlite+aiosqlite:////data/sambilan.db
VOLUME ["/data"]

CMD ["sambilan", "run"]
