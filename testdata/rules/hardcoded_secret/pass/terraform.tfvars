# A starter tfvars committed with stand-ins for the values CI provides.
client_secret = "your-oauth-client-secret"
