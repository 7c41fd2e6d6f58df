from .factories import _survey_defaults  # noqa: F401  (autouse)
