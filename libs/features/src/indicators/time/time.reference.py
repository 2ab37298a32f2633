"""Independent reference for the calendar features: Python's datetime in UTC, closed-form sin/cos.

Input: {"openTime": [epoch ms...]}. Output: {"hour_sin", "hour_cos", "dow_sin", "dow_cos": [...]}.
"""
import json, math, sys
from datetime import datetime, timedelta, timezone

d = json.load(sys.stdin)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
out = {"hour_sin": [], "hour_cos": [], "dow_sin": [], "dow_cos": []}
for ms in d["openTime"]:
    t = EPOCH + timedelta(milliseconds=ms)  # exact: no float seconds
    hour = t.hour + t.minute / 60 + t.second / 3600 + t.microsecond / 3.6e9
    day = t.weekday()  # Monday = 0
    out["hour_sin"].append(math.sin(2 * math.pi * hour / 24))
    out["hour_cos"].append(math.cos(2 * math.pi * hour / 24))
    out["dow_sin"].append(math.sin(2 * math.pi * day / 7))
    out["dow_cos"].append(math.cos(2 * math.pi * day / 7))
print(json.dumps(out))
