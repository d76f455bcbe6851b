"""Alembic migrations, shipped inside the package so `sambilan db upgrade` finds them."""
