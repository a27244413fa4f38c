"""The peer in the serving benchmark: what users run today, a Flask app that
scores an XGBoost model on MLflow-style dataframe_split requests.
Run with: gunicorn -w 2 -b 127.0.0.1:PORT serve_flask_app:app (SERVE_BENCH_MODEL=model.json)."""
import os

import numpy as np
import xgboost as xgb
from flask import Flask, jsonify, request

booster = xgb.Booster()
booster.load_model(os.environ["SERVE_BENCH_MODEL"])
booster.set_param({"nthread": 1})
app = Flask(__name__)


@app.post("/invocations")
def invocations():
    body = request.get_json()
    rows = np.asarray(body["dataframe_split"]["data"], dtype=np.float32)
    p = booster.inplace_predict(rows)
    return jsonify({"predictions": {"label": [int(v > 0.5) for v in p],
                                    "probabilities": [[1.0 - float(v), float(v)] for v in p]}})
