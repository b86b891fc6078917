oauthclient_secret = "s3cr3t-literal-value-3"
# Named for the system they log in to.
servicenow_password = "Genesys2023!"
classifier_api_key  = "A6ceupfQIL7oemrIfdtKq92MCzvjGUX2"
