# A per-environment variable file with stand-ins for what CI provides.
oauthclient_secret = "PROVIDE_YOUR_SECRET"
client_secret      = "ENTER_SECRET_HERE"
client_secret_dev  = "client_secret"
password_qa        = "REPLACE_WITH_SECRET"
