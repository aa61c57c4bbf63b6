#!/bin/sh
# A reader typing the article's steps 1 to 4 by hand: one awslocal process per
# step, as the benchmark times them. $1 is a scratch folder for the zip.
set -eu
key_id=$(awslocal kms create-key --description "Encryption key for third-party API secrets" \
  --query KeyMetadata.KeyId --output text)
awslocal kms create-alias --alias-name alias/third-party-secrets --target-key-id "$key_id"
awslocal secretsmanager create-secret --name third-party/api-key \
  --description "Demo API key for the LocalStack series" --kms-key-id alias/third-party-secrets \
  --secret-string file://"$(dirname "$0")/value.json" >/dev/null
(cd "$(dirname "$0")" && python3 -m zipfile -c "$1/use-secret.zip" handler.py)
awslocal lambda create-function --function-name use-secret --runtime python3.12 \
  --role arn:aws:iam::000000000000:role/lambda-role --handler handler.handler \
  --zip-file fileb://"$1/use-secret.zip" --timeout 10 \
  --environment "Variables={SECRET_ID=third-party/api-key}" >/dev/null
awslocal lambda wait function-active-v2 --function-name use-secret
