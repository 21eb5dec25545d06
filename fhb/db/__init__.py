"""The municipal visit database: engine and unit of work, models, migrations, one write module per entity."""
