"""The accelerator stage: strategic development of communities and initiatives."""
