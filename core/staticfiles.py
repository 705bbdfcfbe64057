"""How static files are collected and named.

WhiteNoise's compressed manifest storage writes every file under a content-hashed name with
brotli and gzip copies beside it; WhiteNoise then serves the hashed names as immutable. The
editor bundle is a set of ES modules that import each other by relative path (esbuild's code
splitting), so those import paths are rewritten to the hashed names too: otherwise a page of one
build could load a chunk of another.
"""

from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True


class StaticFilesConfig(DjangoStaticFilesConfig):
    # static/src holds the editor's sources and build script: esbuild bundles them into
    # static/dist, and only the bundle is published.
    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "src"]
