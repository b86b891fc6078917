oauthclient_secret = "s3cr3t-literal-value-3"
