"""An example DAG shipped with the playbook: it proves DAG files reach every Airflow host."""
from datetime import datetime

from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG("acplay_example", start_date=datetime(2021, 1, 1), schedule_interval="@daily", catchup=False) as dag:
    BashOperator(task_id="hello", bash_command="echo hello from acplay")
