# A starter tfvars committed with stand-ins for the values CI provides.
client_secret = "your-oauth-client-secret"
# Where a secret is kept, not the secret.
secret_name = "genesys/oauth-client"
