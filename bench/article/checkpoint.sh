#!/bin/sh
# The article's checkpoint hook as a reader saves it: look the alias up,
# create key and alias only when missing, then try to create the secret and
# ignore the error when it exists. Timed warm, when everything exists.
alias_target=$(awslocal kms list-aliases \
  --query "Aliases[?AliasName=='alias/third-party-secrets'].TargetKeyId" --output text 2>/dev/null)
if [ -z "$alias_target" ] || [ "$alias_target" = "None" ]; then
  key_id=$(awslocal kms create-key --description "Encryption key for third-party API secrets" \
    --query KeyMetadata.KeyId --output text 2>/dev/null)
  awslocal kms create-alias --alias-name alias/third-party-secrets --target-key-id "$key_id" 2>/dev/null
fi
awslocal secretsmanager create-secret --name third-party/api-key \
  --description "Demo API key for the LocalStack series Part 7" --kms-key-id alias/third-party-secrets \
  --secret-string file://"$(dirname "$0")/value.json" >/dev/null 2>&1 || true
