from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "pyithu.education"
    label = "education"
