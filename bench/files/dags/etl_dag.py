"""A second DAG file for the benchmark's copy of a DAG folder."""
from datetime import datetime

DAG_ID = "bench_etl"
SCHEDULE = "@hourly"
START = datetime(2021, 1, 1)


def extract():
    return [1, 2, 3]


def load(rows):
    return len(rows)
