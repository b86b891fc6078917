oauthclient_secret = "s3cr3t-literal-value-3"
# Named for the system they log in to.
servicenow_password = "Genesys2023!"
classifier_api_key  = "A6ceupfQIL7oemrIfdtKq92MCzvjGUX2"
# One client per org, named for it: a multi-org repository.
oauthClientSecret_EMEA = "Hq83-kLw0_pZt5NvR2xYc7Bm4Ds9Fg1Ja6Ue"
client_secret_prod     = "Vb5n-Qe8r_Ty2uIo4pAs6dFg9hJk3lZx7cCv"
