"""Core features, each laid out as a plugin: blueprint.py, controllers.py, models.py, plugin.py, templates/<module>/."""
