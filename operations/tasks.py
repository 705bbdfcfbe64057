"""Celery task outcomes, counted in the worker processes (which nobody scrapes) into the shared
time series, so /metrics and the dashboard show them for every worker."""

from celery import signals

from operations import recorder


def _name(sender):
    return getattr(sender, "name", None) or str(sender)


def _succeeded(sender=None, **kwargs):
    recorder.record_task(_name(sender), "success")


def _failed(sender=None, **kwargs):
    recorder.record_task(_name(sender), "failure")


def _retried(sender=None, **kwargs):
    recorder.record_task(_name(sender), "retry")


def connect():
    signals.task_success.connect(_succeeded, dispatch_uid="operations.task_success", weak=False)
    signals.task_failure.connect(_failed, dispatch_uid="operations.task_failure", weak=False)
    signals.task_retry.connect(_retried, dispatch_uid="operations.task_retry", weak=False)
