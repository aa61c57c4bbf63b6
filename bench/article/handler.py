# The article's use-secret handler, deployed by the reader's manual steps in
# the benchmark (the kit deploys its own TypeScript version).
import json
import os

import boto3

SECRET_ID = os.environ.get("SECRET_ID", "third-party/api-key")
client = boto3.client("secretsmanager", endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))


def handler(event, context):
    found = client.get_secret_value(SecretId=SECRET_ID)
    api_key = json.loads(found["SecretString"]).get("api_key", "")
    preview = api_key[:4] + "..." + api_key[-4:] if len(api_key) >= 10 else "***"
    return {"secret_id": SECRET_ID, "version_id": found["VersionId"], "api_key_preview": preview}
