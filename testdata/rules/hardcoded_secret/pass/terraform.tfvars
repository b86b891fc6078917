# A starter tfvars committed with stand-ins for the values CI provides.
client_secret = "your-oauth-client-secret"
# Where a secret is kept, not the secret.
secret_name = "genesys/oauth-client"
# Described, not given; and what a secret is called, for an org.
pager_duty_api_key       = "some-api-key"
client_secret_name_EMEA  = "genesys/emea/oauth-client"
client_secret_ARN        = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys"
