from django.db import migrations


class AddPostgresIndex(migrations.AddIndex):
    """AddIndex for an index only PostgreSQL can build (GIN over a tsvector): on another
    database (the embedded SQLite default) the state changes and the schema does not."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
