"""Prints the JSON the official SDK (huaweicloudsdkhss 3.1.200) sends for a `GetNetworkPolicy`
whose `create_time` (SDK type `datetime`) is set: the input of `date_time_round_trip.rs`.

Run by .ci/run with that version's interpreter; the core serialises a date-time itself
(`sanitize_for_serialization`), so the text is the SDK's, not one written here.
"""

import datetime
import json

from huaweicloudsdkcore.utils.http_utils import sanitize_for_serialization
from huaweicloudsdkhss.v5 import GetNetworkPolicy

zone = datetime.timezone(datetime.timedelta(hours=8))
policy = GetNetworkPolicy(create_time=datetime.datetime(2024, 5, 1, 12, 34, 56, 789000, tzinfo=zone), deploy_status=True)
print(json.dumps(sanitize_for_serialization(policy)))
