"""The municipal visit database: engine and unit of work, models, migrations, and one
write module per entity."""
