"""Chinese names for the admin sections of third-party apps (their AppConfig names are English text,
not translatable strings); used in INSTALLED_APPS instead of the apps' own configs."""

from axes.apps import AppConfig as AxesAppConfig
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "登录保护（解锁：删除该用户的登录失败记录）"


class TasksConfig(TasksAppConfig):
    verbose_name = "后台任务"
